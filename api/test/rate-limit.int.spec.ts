import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '@sightline/api-contract';
import { ApiHarness, type ApiResponse } from './api-harness';

/** The declared budgets at their real size (RATE_LIMIT_SCALE 1), one trusted proxy hop for addresses. */
describe('per-route rate limits (@RateLimit)', () => {
  const api = new ApiHarness();
  beforeAll(() => api.start({ RATE_LIMIT_SCALE: '1', TRUSTED_PROXY_HOPS: '1' }));
  afterAll(() => api.stop());

  const randomAddress = () => `203.0.113.${1 + Math.floor(Math.random() * 250)}`;

  it('a user budget answers 429 with Retry-After in the error shape, and only for that user', async () => {
    const alice = await api.signedUpUser('alice', { 'x-forwarded-for': randomAddress() });
    const bob = await api.signedUpUser('bob', { 'x-forwarded-for': randomAddress() });
    const statuses: number[] = [];
    let last: ApiResponse<ApiErrorBody> | undefined;
    for (let i = 0; i < 31; i++) {
      last = await alice.client.patch<ApiErrorBody>(`/api/orgs/${alice.orgId}`, { name: `Org ${i}` });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
    expect(last?.body).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    const retryAfter = Number(last?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // The refused request did nothing.
    const orgs = await alice.client.get<{ id: string; name: string }[]>('/api/orgs');
    expect(orgs.body.find((o) => o.id === alice.orgId)?.name).toBe('Org 29');
    // Bob's budget is his own.
    expect((await bob.client.patch(`/api/orgs/${bob.orgId}`, { name: 'Bob org' })).status).toBe(200);
  });

  it('an address budget is per client address behind the trusted proxy', async () => {
    const victim = randomAddress();
    const attacker = `198.51.100.${1 + Math.floor(Math.random() * 250)}`;
    const reset = (ip: string) =>
      api.client().post('/api/auth/password-reset', { email: api.uniqueEmail() }, { 'x-forwarded-for': ip });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await reset(attacker)).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    // A spoofed left-most entry does not help the attacker, and does not touch the victim's budget.
    const spoofed = await api
      .client()
      .post(
        '/api/auth/password-reset',
        { email: api.uniqueEmail() },
        { 'x-forwarded-for': `${victim}, ${attacker}` },
      );
    expect(spoofed.status).toBe(429);
    expect((await reset(victim)).status).toBe(202);
  });

  it('finding 5: site creation and deletion are limited per org, shared by its members', async () => {
    const owner = await api.signedUpUser('site-owner', { 'x-forwarded-for': randomAddress() });
    const outsider = await api.signedUpUser('outsider', { 'x-forwarded-for': randomAddress() });
    const domain = () => `rl-${randomBytes(4).toString('hex')}.example.com`;
    // An outsider hammering the org's route gets 404 and spends nothing of the org's budget.
    for (let i = 0; i < 3; i++)
      expect(
        (await outsider.client.post(`/api/orgs/${owner.orgId}/sites`, { domain: domain() })).status,
      ).toBe(404);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const created = await owner.client.post<{ domain: string }>(`/api/orgs/${owner.orgId}/sites`, {
        domain: domain(),
      });
      statuses.push(created.status);
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.at(-1)).toBe(429);
  });
});
