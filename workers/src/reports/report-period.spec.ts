import { describe, expect, it } from 'vitest';
import { lastCompletePeriod } from './report-period';

describe('lastCompletePeriod', () => {
  it.each([
    // kind, now, zone, first, last, endsAt
    ['weekly', '2026-12-07T10:00:00Z', 'UTC', '2026-11-30', '2026-12-06', '2026-12-07T00:00:00.000Z'],
    ['weekly', '2026-12-06T23:30:00Z', 'UTC', '2026-11-23', '2026-11-29', '2026-11-30T00:00:00.000Z'],
    // Monday already began in Berlin at 23:30 UTC on Sunday
    [
      'weekly',
      '2026-12-06T23:30:00Z',
      'Europe/Berlin',
      '2026-11-30',
      '2026-12-06',
      '2026-12-06T23:00:00.000Z',
    ],
    [
      'weekly',
      '2026-12-07T03:00:00Z',
      'America/Los_Angeles',
      '2026-11-23',
      '2026-11-29',
      '2026-11-30T08:00:00.000Z',
    ],
    ['monthly', '2026-12-05T12:00:00Z', 'UTC', '2026-11-01', '2026-11-30', '2026-12-01T00:00:00.000Z'],
    ['monthly', '2026-03-01T00:30:00Z', 'Asia/Tokyo', '2026-02-01', '2026-02-28', '2026-02-28T15:00:00.000Z'],
    ['monthly', '2027-01-01T05:00:00Z', 'UTC', '2026-12-01', '2026-12-31', '2027-01-01T00:00:00.000Z'],
  ] as const)('%s at %s in %s → %s..%s', (kind, now, zone, first, last, endsAt) => {
    const period = lastCompletePeriod(kind, new Date(now), zone);
    expect([period.firstDate, period.lastDate, period.endsAt.toISOString()]).toEqual([first, last, endsAt]);
  });

  it('throws on an unknown time zone', () => {
    expect(() => lastCompletePeriod('weekly', new Date(), 'Mars/Olympus_Mons')).toThrow();
  });
});
