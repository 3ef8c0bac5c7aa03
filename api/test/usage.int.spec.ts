import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgUsageView } from '@sightline/api-contract';
import { cycleContaining, recentCycles } from '@sightline/usage';
import { ApiHarness } from './api-harness';

describe('GET /api/orgs/:orgId/usage', () => {
  const api = new ApiHarness();
  const { ctx } = api;
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  it('returns the current cycle and the two before it as the workers stored them, to members only', async () => {
    const owner = await api.signedUpUser('usage');
    const anchor = new Date('2025-01-31T08:00:00Z');
    await ctx.pool.query('UPDATE orgs SET billing_anchor_at = $2 WHERE id = $1', [owner.orgId, anchor]);

    // Not metered yet: the current cycle with zero events and no computedAt.
    const before = await owner.client.get<OrgUsageView>(`/api/orgs/${owner.orgId}/usage`);
    const current = cycleContaining(anchor, new Date());
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      orgId: owner.orgId,
      current: {
        start: current.start.toISOString(),
        end: current.end.toISOString(),
        events: 0,
        computedAt: null,
      },
      previous: [],
    });

    const cycles = recentCycles(anchor, new Date(), 3);
    const computedAt = new Date('2026-01-01T00:00:00Z');
    for (const [i, cycle] of cycles.entries())
      await ctx.pool.query(
        'INSERT INTO usage_cycles (org_id, cycle_start, cycle_end, events, computed_at) VALUES ($1, $2, $3, $4, $5)',
        [owner.orgId, cycle.start, cycle.end, String(1000 - i), computedAt],
      );
    const after = await owner.client.get<OrgUsageView>(`/api/orgs/${owner.orgId}/usage`);
    expect(after.body.current).toEqual({
      start: current.start.toISOString(),
      end: current.end.toISOString(),
      events: 1000,
      computedAt: computedAt.toISOString(),
    });
    expect(after.body.previous.map((c) => [c.start, c.events])).toEqual([
      [cycles[1]?.start.toISOString(), 999],
      [cycles[2]?.start.toISOString(), 998],
    ]);

    const stranger = await api.signedUpUser('usage-stranger');
    expect((await stranger.client.get(`/api/orgs/${owner.orgId}/usage`)).status).toBe(404);
    expect((await api.client().get(`/api/orgs/${owner.orgId}/usage`)).status).toBe(401);
    expect((await owner.client.get('/api/orgs/not-a-uuid/usage')).status).toBe(404);
  });
});
