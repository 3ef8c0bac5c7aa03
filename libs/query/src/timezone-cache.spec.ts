import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, isValidTimeZone, timeZoneCacheSize, wallClockAt } from './timezone';

/** Every upper/lower-case spelling of `name` (Intl accepts them all as the same zone). */
function* spellings(name: string): Generator<string> {
  const letters = [...name];
  for (let mask = 0; mask < 2 ** Math.min(letters.length, 16); mask++)
    yield letters.map((c, i) => ((mask >> i) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');
}

describe('time-zone formatter cache (finding 8)', () => {
  it('stays bounded however many spellings of a zone are used', () => {
    let used = 0;
    for (const tz of spellings('america/argentina/buenos_aires')) {
      expect(isValidTimeZone(tz)).toBe(true);
      wallClockAt(new Date('2026-01-01T00:00:00Z'), tz);
      if (++used >= 1000) break;
    }
    expect(used).toBe(1000);
    expect(timeZoneCacheSize()).toBeLessThanOrEqual(16);
  });

  it('names the canonical spelling', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('Not/AZone')).toBeNull();
  });
});
