import { describe, expect, it } from 'vitest';
import {
  formatInstantWithOffset,
  isValidTimeZone,
  localDateOf,
  offsetMinutesAt,
  startOfLocalDay,
  wallClockToInstant,
} from './timezone';

describe('startOfLocalDay', () => {
  it('is UTC midnight in UTC', () => {
    expect(startOfLocalDay('2026-03-08', 'UTC').toISOString()).toBe('2026-03-08T00:00:00.000Z');
  });

  it('follows New York across both DST changes', () => {
    // Spring forward 2026-03-08 02:00 EST→EDT: the day starts at -05:00, the next at -04:00.
    expect(startOfLocalDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfLocalDay('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    // Fall back 2026-11-01 02:00 EDT→EST: a 25-hour day.
    expect(startOfLocalDay('2026-11-01', 'America/New_York').toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(startOfLocalDay('2026-11-02', 'America/New_York').toISOString()).toBe('2026-11-02T05:00:00.000Z');
  });

  it('handles half-hour and 45-minute offsets', () => {
    expect(startOfLocalDay('2026-01-01', 'Asia/Kolkata').toISOString()).toBe('2025-12-31T18:30:00.000Z');
    expect(startOfLocalDay('2026-01-01', 'Asia/Kathmandu').toISOString()).toBe('2025-12-31T18:15:00.000Z');
  });

  it('starts a day whose midnight is skipped at the jump (Santiago, DST at 24:00)', () => {
    // 2026-09-06 00:00 -04:00 does not exist in Chile: clocks go to 01:00 -03:00 = 04:00Z.
    const start = startOfLocalDay('2026-09-06', 'America/Santiago');
    expect(start.toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(localDateOf(new Date(start.getTime() - 1000), 'America/Santiago')).toBe('2026-09-05');
  });
});

describe('wallClockToInstant', () => {
  it('takes the earlier of a repeated hour', () => {
    const t = wallClockToInstant(
      { year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 },
      'America/New_York',
    );
    expect(t.toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('moves a time in the spring gap forward by the gap', () => {
    const t = wallClockToInstant(
      { year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 },
      'America/New_York',
    );
    expect(t.toISOString()).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
  });
});

describe('formatting and validation', () => {
  it('prints instants with the offset in force', () => {
    expect(formatInstantWithOffset(new Date('2025-12-31T18:30:00Z'), 'Asia/Kolkata')).toBe(
      '2026-01-01T00:00:00+05:30',
    );
    expect(formatInstantWithOffset(new Date('2026-07-01T03:59:59Z'), 'America/New_York')).toBe(
      '2026-06-30T23:59:59-04:00',
    );
    expect(offsetMinutesAt(new Date('2026-01-15T00:00:00Z'), 'America/St_Johns')).toBe(-210);
  });

  it('knows IANA names', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
