import { describe, expect, it } from 'vitest';
import { billingAnchor, cycleBoundary, cycleContaining, recentCycles } from './usage-cycle';

const d = (iso: string) => new Date(iso);
const iso = (c: { start: Date; end: Date }) => [c.start.toISOString(), c.end.toISOString()];

describe('cycleContaining', () => {
  const cases: [string, string, string, string][] = [
    // anchor, instant, expected start, expected end
    ['2026-01-15T10:30:00Z', '2026-03-20T00:00:00Z', '2026-03-15T10:30:00.000Z', '2026-04-15T10:30:00.000Z'],
    ['2026-01-15T10:30:00Z', '2026-03-15T10:29:59Z', '2026-02-15T10:30:00.000Z', '2026-03-15T10:30:00.000Z'],
    ['2026-01-15T10:30:00Z', '2026-03-15T10:30:00Z', '2026-03-15T10:30:00.000Z', '2026-04-15T10:30:00.000Z'],
    // 31st: short months end the cycle on their last day
    ['2025-01-31T00:00:00Z', '2026-02-10T00:00:00Z', '2026-01-31T00:00:00.000Z', '2026-02-28T00:00:00.000Z'],
    ['2025-01-31T00:00:00Z', '2026-03-01T00:00:00Z', '2026-02-28T00:00:00.000Z', '2026-03-31T00:00:00.000Z'],
    ['2025-01-31T00:00:00Z', '2026-04-30T12:00:00Z', '2026-04-30T00:00:00.000Z', '2026-05-31T00:00:00.000Z'],
    ['2025-01-31T00:00:00Z', '2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z', '2024-03-31T00:00:00.000Z'],
    // 29th and 30th in February, leap and common years
    ['2025-05-29T08:00:00Z', '2028-02-29T09:00:00Z', '2028-02-29T08:00:00.000Z', '2028-03-29T08:00:00.000Z'],
    ['2025-05-29T08:00:00Z', '2027-02-28T07:59:59Z', '2027-01-29T08:00:00.000Z', '2027-02-28T08:00:00.000Z'],
    ['2025-05-30T00:00:00Z', '2027-03-15T00:00:00Z', '2027-02-28T00:00:00.000Z', '2027-03-30T00:00:00.000Z'],
    // across a year end
    ['2025-06-20T00:00:00Z', '2027-01-05T00:00:00Z', '2026-12-20T00:00:00.000Z', '2027-01-20T00:00:00.000Z'],
    // the 1st: calendar months
    ['2025-06-01T00:00:00Z', '2026-12-31T23:59:59Z', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
  ];
  it.each(cases)('anchor %s, instant %s → [%s, %s)', (anchor, instant, start, end) => {
    expect(iso(cycleContaining(d(anchor), d(instant)))).toEqual([start, end]);
  });

  it('always contains the instant, and consecutive cycles tile time', () => {
    const anchor = d('2024-01-31T23:15:00Z');
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2027, 0, 1); t += 5 * 3600_000 + 17_000) {
      const c = cycleContaining(anchor, new Date(t));
      expect(c.start.getTime()).toBeLessThanOrEqual(t);
      expect(c.end.getTime()).toBeGreaterThan(t);
      expect(cycleContaining(anchor, c.end).start.getTime()).toBe(c.end.getTime());
    }
  });

  it('rejects invalid dates', () => {
    expect(() => cycleContaining(d('nope'), d('2026-01-01'))).toThrow(TypeError);
    expect(() => cycleContaining(d('2026-01-01'), d('nope'))).toThrow(TypeError);
  });
});

describe('recentCycles', () => {
  it('returns the current and previous cycles newest first, contiguous', () => {
    const cycles = recentCycles(d('2025-01-31T00:00:00Z'), d('2026-03-10T00:00:00Z'), 2);
    expect(cycles.map(iso)).toEqual([
      ['2026-02-28T00:00:00.000Z', '2026-03-31T00:00:00.000Z'],
      ['2026-01-31T00:00:00.000Z', '2026-02-28T00:00:00.000Z'],
      ['2025-12-31T00:00:00.000Z', '2026-01-31T00:00:00.000Z'],
    ]);
  });

  it('rejects a negative count', () => {
    expect(() => recentCycles(d('2025-01-01'), d('2026-01-01'), -1)).toThrow(RangeError);
  });
});

describe('cycleBoundary and billingAnchor', () => {
  it('clamps to the last day of the month', () => {
    expect(cycleBoundary(d('2025-03-31T00:00:00Z'), 2026 * 12 + 3).toISOString()).toBe(
      '2026-04-30T00:00:00.000Z',
    );
  });
  it('uses the billing anchor when set, else the creation date', () => {
    const createdAt = d('2025-01-02T00:00:00Z');
    expect(billingAnchor({ billingAnchorAt: null, createdAt })).toBe(createdAt);
    const anchor = d('2025-02-03T00:00:00Z');
    expect(billingAnchor({ billingAnchorAt: anchor, createdAt })).toBe(anchor);
  });
});
