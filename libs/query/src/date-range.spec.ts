import { describe, expect, it } from 'vitest';
import { comparisonRange, rangeFromDates, resolveDateRange } from './date-range';
import { QueryValidationError } from './query-validation.error';

// 2026-11-22 03:00 UTC is still 2026-11-21 in New York and already 2026-11-22 in Kolkata.
const now = new Date('2026-11-22T03:00:00Z');
const ny = { timezone: 'America/New_York', now };
const kolkata = { timezone: 'Asia/Kolkata', now };

const dates = (r: { firstDate: string; lastDate: string }): [string, string] => [r.firstDate, r.lastDate];

describe('resolveDateRange', () => {
  it('resolves "today" in the site timezone', () => {
    expect(dates(resolveDateRange('day', ny))).toEqual(['2026-11-21', '2026-11-21']);
    const r = resolveDateRange('day', kolkata);
    expect(dates(r)).toEqual(['2026-11-22', '2026-11-22']);
    expect(r.from.toISOString()).toBe('2026-11-21T18:30:00.000Z');
    expect(r.to.toISOString()).toBe('2026-11-22T18:30:00.000Z');
  });

  it('makes 7d/28d/30d that many days ending today', () => {
    expect(dates(resolveDateRange('7d', ny))).toEqual(['2026-11-15', '2026-11-21']);
    expect(dates(resolveDateRange('28d', ny))).toEqual(['2026-10-25', '2026-11-21']);
    expect(dates(resolveDateRange('30d', kolkata))).toEqual(['2026-10-24', '2026-11-22']);
  });

  it('makes month, 6mo, 12mo and year whole calendar periods', () => {
    expect(dates(resolveDateRange('month', ny))).toEqual(['2026-11-01', '2026-11-30']);
    expect(dates(resolveDateRange('6mo', ny))).toEqual(['2026-06-01', '2026-11-30']);
    expect(dates(resolveDateRange('12mo', ny))).toEqual(['2025-12-01', '2026-11-30']);
    expect(dates(resolveDateRange('year', ny))).toEqual(['2026-01-01', '2026-12-31']);
  });

  it('starts "all" at the first event, else at the site creation, else today', () => {
    expect(dates(resolveDateRange('all', { ...ny, firstEventAt: new Date('2026-02-01T02:00:00Z') }))).toEqual(
      ['2026-01-31', '2026-11-21'],
    );
    expect(
      dates(resolveDateRange('all', { ...ny, siteCreatedAt: new Date('2026-05-05T12:00:00Z') })),
    ).toEqual(['2026-05-05', '2026-11-21']);
    expect(dates(resolveDateRange('all', ny))).toEqual(['2026-11-21', '2026-11-21']);
  });

  it('takes inclusive local dates, converting across a DST change', () => {
    const r = resolveDateRange(['2026-03-07', '2026-03-08'], ny);
    expect(r.from.toISOString()).toBe('2026-03-07T05:00:00.000Z');
    expect(r.to.toISOString()).toBe('2026-03-09T04:00:00.000Z'); // 47 hours
  });

  it('takes ISO date-times with an offset, or in the site timezone without one; the end is inclusive', () => {
    const r = resolveDateRange(['2026-01-01T12:00:00+02:00', '2026-01-01T15:59:59+02:00'], ny);
    expect(r.from.toISOString()).toBe('2026-01-01T10:00:00.000Z');
    expect(r.to.toISOString()).toBe('2026-01-01T14:00:00.000Z');
    expect(r.kind).toBe('instants');
    const local = resolveDateRange(['2026-01-01T00:00:00', '2026-01-01T05:29:59'], kolkata);
    expect(local.from.toISOString()).toBe('2025-12-31T18:30:00.000Z');
    expect(local.to.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it.each([
    [['2026-02-30', '2026-03-01'], 'date_range[0]'],
    [['2026-03-02', '2026-03-01'], 'date_range'],
    [['2026-03-01', 'tomorrow'], 'date_range[1]'],
    [['2026-03-01', '2026-03-01T10:00:00Z'], 'date_range'],
    [['2000-01-01', '2026-03-01'], 'date_range'],
  ] as [[string, string], string][])('rejects %j at %s', (input, field) => {
    const run = (): unknown => resolveDateRange(input, ny);
    expect(run).toThrow(QueryValidationError);
    try {
      run();
    } catch (e) {
      expect((e as QueryValidationError).field).toBe(field);
    }
  });
});

describe('comparisonRange', () => {
  const tz = 'America/New_York';
  it('compares days with the same number of days before', () => {
    const r = rangeFromDates('2026-11-14', '2026-11-20', tz);
    expect(dates(comparisonRange(r, 'previous_period', tz))).toEqual(['2026-11-07', '2026-11-13']);
  });

  it('compares whole months with whole months', () => {
    expect(
      dates(comparisonRange(rangeFromDates('2026-03-01', '2026-03-31', tz), 'previous_period', tz)),
    ).toEqual(['2026-02-01', '2026-02-28']);
    expect(
      dates(comparisonRange(rangeFromDates('2026-06-01', '2026-11-30', tz), 'previous_period', tz)),
    ).toEqual(['2025-12-01', '2026-05-31']);
  });

  it('compares year over year', () => {
    expect(
      dates(comparisonRange(rangeFromDates('2028-02-01', '2028-02-29', tz), 'year_over_year', tz)),
    ).toEqual(['2027-02-01', '2027-02-28']);
    expect(
      dates(comparisonRange(rangeFromDates('2026-11-14', '2026-11-20', tz), 'year_over_year', tz)),
    ).toEqual(['2025-11-14', '2025-11-20']);
  });

  it('shifts date-time ranges by their length', () => {
    const r = resolveDateRange(['2026-01-01T12:00:00Z', '2026-01-01T12:59:59Z'], { timezone: 'UTC', now });
    const c = comparisonRange(r, 'previous_period', 'UTC');
    expect([c.from.toISOString(), c.to.toISOString()]).toEqual([
      '2026-01-01T11:00:00.000Z',
      '2026-01-01T12:00:00.000Z',
    ]);
  });
});
