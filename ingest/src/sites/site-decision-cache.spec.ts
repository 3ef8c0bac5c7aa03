import { describe, expect, it } from 'vitest';
import type { SiteDecision } from './site-decision';
import { SiteDecisionCache } from './site-decision-cache';

/** A fake repository: a table of decisions, and a switch that makes it fail like an unreachable Postgres. */
function fakeRepository(decisions: Record<string, SiteDecision>) {
  const state = { down: false, hang: false, calls: 0 };
  const load = (domain: string): Promise<SiteDecision> => {
    state.calls++;
    if (state.hang) return new Promise(() => undefined);
    if (state.down) return Promise.reject(new Error('connect ECONNREFUSED'));
    return Promise.resolve(decisions[domain] ?? { site: null });
  };
  return { state, load };
}

const known: SiteDecision = { site: { id: 7, allowedHostnames: [] } };
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('SiteDecisionCache', () => {
  it('serves fresh decisions from memory and shares concurrent misses', async () => {
    const repo = fakeRepository({ 'a.test': known });
    const cache = new SiteDecisionCache(repo.load, null, { ttlMs: 60_000 });
    const results = await Promise.all([
      cache.decide('a.test'),
      cache.decide('a.test'),
      cache.decide('b.test'),
    ]);
    expect(results).toEqual([known, known, { site: null }]);
    await cache.decide('a.test');
    expect(repo.state.calls).toBe(2);
  });

  it('serves the last known decision when Postgres fails, for as long as it fails', async () => {
    const repo = fakeRepository({ 'a.test': known });
    const stale: string[] = [];
    const cache = new SiteDecisionCache(repo.load, null, { ttlMs: 1, retryAfterMs: 50 }, (r) =>
      stale.push(r),
    );
    await cache.decide('a.test');
    repo.state.down = true;
    for (let i = 0; i < 20; i++) {
      await tick();
      expect(await cache.decide('a.test')).toEqual(known);
    }
    expect(stale.length).toBe(20);
    // Unknown domains with nothing known: the error surfaces (the receiver answers 503).
    await expect(cache.decide('new.test')).rejects.toThrow('ECONNREFUSED');
    // Back: the next refresh after the back-off takes the new decision.
    repo.state.down = false;
    await new Promise((r) => setTimeout(r, 60));
    expect(await cache.decide('a.test')).toEqual(known);
    expect(await cache.decide('new.test')).toEqual({ site: null });
  });

  it('does not wait for a hanging Postgres longer than the refresh timeout', async () => {
    const repo = fakeRepository({ 'a.test': known });
    const cache = new SiteDecisionCache(repo.load, null, { ttlMs: 1, refreshTimeoutMs: 20 });
    await cache.decide('a.test');
    repo.state.hang = true;
    await tick();
    const started = Date.now();
    expect(await cache.decide('a.test')).toEqual(known);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('keeps known sites when a flood of unknown domains fills its bound', async () => {
    const repo = fakeRepository({ 'a.test': known });
    const cache = new SiteDecisionCache(repo.load, null, { ttlMs: 60_000, maxUnknown: 10, maxSites: 10 });
    await cache.decide('a.test');
    for (let i = 0; i < 100; i++) await cache.decide(`random-${i}.test`);
    repo.state.down = true;
    expect(await cache.decide('a.test')).toEqual(known);
  });
});
