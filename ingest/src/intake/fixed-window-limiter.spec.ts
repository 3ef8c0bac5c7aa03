import { describe, expect, it } from 'vitest';
import { FixedWindowLimiter } from './fixed-window-limiter';

describe('FixedWindowLimiter', () => {
  it('allows `points` hits per key and window, then says how long until the window ends', () => {
    const limiter = new FixedWindowLimiter(3, 10_000);
    expect([1, 2, 3].map(() => limiter.hit('a', 1, 1_000))).toEqual([0, 0, 0]);
    expect(limiter.hit('a', 1, 4_000)).toBe(7_000);
    expect(limiter.hit('b', 1, 4_000)).toBe(0); // keys are independent
  });

  it('starts a new window once the old one ended', () => {
    const limiter = new FixedWindowLimiter(1, 1_000);
    expect(limiter.hit('a', 1, 0)).toBe(0);
    expect(limiter.hit('a', 1, 999)).toBe(1);
    expect(limiter.hit('a', 1, 1_000)).toBe(0);
  });

  it('counts several points at once', () => {
    const limiter = new FixedWindowLimiter(10, 1_000);
    expect(limiter.hit('a', 10, 0)).toBe(0);
    expect(limiter.hit('a', 1, 0)).toBe(1_000);
  });

  it('forgets expired keys, so a flood of distinct keys does not grow memory without bound', () => {
    const limiter = new FixedWindowLimiter(1, 1_000);
    for (let i = 0; i < 10_000; i++) limiter.hit(`k${i}`, 1, 0);
    limiter.hit('later', 1, 2_000);
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBe(1);
  });
});
