import { describe, expect, it } from 'vitest';
import { rangeFromDates } from './date-range';
import { autoGranularity, timeLabels } from './time-labels';

describe('timeLabels', () => {
  it('lists 23 hours on the spring-forward day and 24 distinct hours on the fall-back day', () => {
    const tz = 'America/New_York';
    const spring = timeLabels(rangeFromDates('2026-03-08', '2026-03-08', tz), 'time:hour', tz);
    expect(spring).toHaveLength(23);
    expect(spring.slice(0, 4)).toEqual([
      '2026-03-08 00:00:00',
      '2026-03-08 01:00:00',
      '2026-03-08 03:00:00',
      '2026-03-08 04:00:00',
    ]);
    const fall = timeLabels(rangeFromDates('2026-11-01', '2026-11-01', tz), 'time:hour', tz);
    expect(fall).toHaveLength(24); // 01:00 happens twice but is one bucket label
    expect(fall.at(-1)).toBe('2026-11-01 23:00:00');
  });

  it('lists local hours in a half-hour timezone', () => {
    const tz = 'Asia/Kolkata';
    const labels = timeLabels(rangeFromDates('2026-01-01', '2026-01-01', tz), 'time:hour', tz);
    expect(labels).toHaveLength(24);
    expect(labels[0]).toBe('2026-01-01 00:00:00');
  });

  it('lists days and months inclusively', () => {
    const r = rangeFromDates('2026-01-30', '2026-03-02', 'UTC');
    expect(timeLabels(r, 'time:day', 'UTC')).toHaveLength(32);
    expect(timeLabels(r, 'time:month', 'UTC')).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
  });

  it("lists weeks from Monday, starting with the range's first day", () => {
    // 2026-01-30 is a Friday; 2026-03-02 a Monday (its own one-day bucket).
    const r = rangeFromDates('2026-01-30', '2026-03-02', 'UTC');
    expect(timeLabels(r, 'time:week', 'UTC')).toEqual([
      '2026-01-30',
      '2026-02-02',
      '2026-02-09',
      '2026-02-16',
      '2026-02-23',
      '2026-03-02',
    ]);
    // A range that starts on a Monday has no extra bucket.
    expect(timeLabels(rangeFromDates('2026-02-02', '2026-02-15', 'UTC'), 'time:week', 'UTC')).toEqual([
      '2026-02-02',
      '2026-02-09',
    ]);
  });

  it('picks hours for a day, days up to 40 days, months beyond', () => {
    expect(autoGranularity(rangeFromDates('2026-01-01', '2026-01-01', 'UTC'))).toBe('time:hour');
    expect(autoGranularity(rangeFromDates('2026-01-01', '2026-02-09', 'UTC'))).toBe('time:day');
    expect(autoGranularity(rangeFromDates('2026-01-01', '2026-02-10', 'UTC'))).toBe('time:month');
  });
});
