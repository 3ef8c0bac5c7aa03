import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyView, CreatedApiKey } from '@sightline/api-contract';
import type { QueryResponse } from '@sightline/query';
import { insertRows } from '@sightline/testing';
import { ApiHarness, pageview, type ApiClient } from './api-harness';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function newKey(client: ApiClient, orgId: string, name = 'CI export'): Promise<CreatedApiKey> {
  const res = await client.post<CreatedApiKey>(`/api/orgs/${orgId}/api-keys`, { name });
  expect(res.status).toBe(201);
  return res.body;
}

describe('API keys', () => {
  const api = new ApiHarness();
  const { ctx } = api;
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  it('shows the secret once on creation; lists show only the prefix', async () => {
    const { client, orgId } = await api.signedUpUserOn('basic', 'key-create');
    const created = await client.post<CreatedApiKey>(`/api/orgs/${orgId}/api-keys`, { name: ' Grafana ' });
    expect(created.status).toBe(201);
    const { key, ...view } = created.body;
    expect(key).toMatch(/^sl_[A-Za-z0-9_-]{40,}$/);
    expect(view).toMatchObject({ name: 'Grafana', lastUsedAt: null });
    expect(key.startsWith(view.prefix)).toBe(true);
    expect(view.prefix.length).toBeLessThan(key.length / 2);

    const list = await client.get<ApiKeyView[]>(`/api/orgs/${orgId}/api-keys`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([view]);
    expect(JSON.stringify(list.body)).not.toContain(key);
    expect(list.body[0]).not.toHaveProperty('key');

    const noName = await client.post(`/api/orgs/${orgId}/api-keys`, { name: '' });
    expect(noName).toMatchObject({ status: 400, body: { error: { field: 'name' } } });
  });

  it('reads stats of its own org with Authorization: Bearer, and nothing else', async () => {
    const owner = await api.signedUpUserOn('basic', 'key-use');
    const other = await api.signedUpUser('key-other');
    const site = await api.addSite(owner.client, owner.orgId);
    const foreignSite = await api.addSite(other.client, other.orgId);
    await insertRows(ctx.clickhouse, [
      pageview(site.id, 1, 2),
      pageview(site.id, 2, 3),
      pageview(site.id, 2, 4),
      pageview(foreignSite.id, 9, 2),
    ]);
    const { key, id } = await newKey(owner.client, owner.orgId);
    const machine = api.client(); // no session cookie

    const query = { site_id: site.domain, metrics: ['visitors', 'pageviews'], date_range: '7d' };
    const ok = await machine.post<QueryResponse>('/api/v2/query', query, bearer(key));
    expect(ok.status).toBe(200);
    expect(ok.body.query.site_id).toBe(site.domain);
    expect(Array.isArray(ok.body.results)).toBe(true);
    // 3 pageviews by 2 visitors in the last hours, none of the other org's.
    const all = await machine.post<QueryResponse>(
      '/api/v2/query',
      { ...query, date_range: 'all' },
      bearer(key),
    );
    expect(all.status).toBe(200);
    expect(all.body.results).toEqual([{ dimensions: [], metrics: [2, 3] }]);

    // Other routes that accept keys, for the key's own org.
    expect((await machine.get(`/api/sites/${site.domain}/status`, bearer(key))).body).toMatchObject({
      hasEvents: true,
    });
    expect((await machine.get(`/api/sites/${site.domain}/realtime`, bearer(key))).status).toBe(200);

    // Another org's site does not exist for this key.
    const foreign = await machine.post(
      '/api/v2/query',
      { ...query, site_id: foreignSite.domain },
      bearer(key),
    );
    expect(foreign).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await machine.get(`/api/sites/${foreignSite.domain}/status`, bearer(key))).status).toBe(404);

    // Session-only routes refuse keys, even for the key's own org.
    for (const path of [
      '/api/orgs',
      '/api/auth/me',
      `/api/orgs/${owner.orgId}/sites`,
      `/api/orgs/${owner.orgId}/api-keys`,
      `/api/sites/${site.domain}`,
    ]) {
      const res = await machine.get(path, bearer(key));
      expect(res.status, path).toBe(401);
    }
    const mint = await machine.post(`/api/orgs/${owner.orgId}/api-keys`, { name: 'escalate' }, bearer(key));
    expect(mint.status).toBe(401);
    const del = await machine.delete(`/api/sites/${site.domain}`, bearer(key));
    expect(del.status).toBe(401);
    expect((await owner.client.get(`/api/sites/${site.domain}`)).status).toBe(200);

    // A used key shows when it was last used.
    const listed = (await owner.client.get<ApiKeyView[]>(`/api/orgs/${owner.orgId}/api-keys`)).body;
    expect(listed.find((k) => k.id === id)?.lastUsedAt).not.toBeNull();
  });

  it('names the bad field of an invalid query', async () => {
    const { client, orgId } = await api.signedUpUserOn('basic', 'key-invalid');
    const site = await api.addSite(client, orgId);
    const { key } = await newKey(client, orgId);
    const machine = api.client();
    const valid = { site_id: site.domain, metrics: ['visitors'], date_range: '7d' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, metrics: ['visitors', 'nonsense'] }, 'metrics[1]'],
      [{ ...valid, metrics: [] }, 'metrics'],
      [{ ...valid, date_range: 'forever' }, 'date_range'],
      [{ ...valid, dimensions: ['visit:shoe_size'] }, 'dimensions[0]'],
      [{ ...valid, filters: [['is', 'event:nope', ['/']]] }, 'filters[0][1]'],
      [{ metrics: ['visitors'], date_range: '7d' }, 'site_id'],
    ];
    for (const [body, field] of cases) {
      const res = await machine.post<{ error: { field?: string } }>('/api/v2/query', body, bearer(key));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field, JSON.stringify(body)).toBe(field);
    }
  });

  it('stops working once revoked; malformed bearers get 401', async () => {
    const { client, orgId } = await api.signedUpUserOn('basic', 'key-revoke');
    const site = await api.addSite(client, orgId);
    const keep = await newKey(client, orgId, 'keep');
    const doomed = await newKey(client, orgId, 'doomed');
    const machine = api.client();
    const query = { site_id: site.domain, metrics: ['visitors'], date_range: '7d' };
    expect((await machine.post('/api/v2/query', query, bearer(doomed.key))).status).toBe(200);

    expect((await client.delete(`/api/orgs/${orgId}/api-keys/${doomed.id}`)).status).toBe(204);
    expect((await client.delete(`/api/orgs/${orgId}/api-keys/${doomed.id}`)).status).toBe(404);
    expect((await client.delete(`/api/orgs/${orgId}/api-keys/not-a-uuid`)).status).toBe(404);
    const revoked = await machine.post('/api/v2/query', query, bearer(doomed.key));
    expect(revoked).toMatchObject({ status: 401, body: { error: { code: 'invalid_api_key' } } });
    const list = (await client.get<ApiKeyView[]>(`/api/orgs/${orgId}/api-keys`)).body;
    expect(list.map((k) => k.id)).toEqual([keep.id]);
    expect((await machine.post('/api/v2/query', query, bearer(keep.key))).status).toBe(200);

    for (const authorization of [
      'Bearer',
      'Bearer ',
      'Bearer not-a-key',
      `Bearer sl_${randomBytes(32).toString('base64url')}`,
      `Bearer ${keep.key.slice(0, -1)}`,
      `Bearer ${keep.key} extra`,
      `Basic ${Buffer.from('user:pass').toString('base64')}`,
      `Bearer sl_${'a'.repeat(500)}`,
    ]) {
      const res = await machine.post('/api/v2/query', query, { authorization });
      expect(res.status, authorization).toBe(401);
      expect(res.body, authorization).toMatchObject({ error: { code: 'invalid_api_key' } });
    }
  });

  it('only owners and admins manage keys', async () => {
    const owner = await api.signedUpUserOn('basic', 'key-roles');
    const { client: viewer } = await api.joinedMember(owner.client, owner.orgId, 'viewer', 'key-viewer');
    const key = await newKey(owner.client, owner.orgId);

    expect((await viewer.get(`/api/orgs/${owner.orgId}/api-keys`)).status).toBe(403);
    expect((await viewer.post(`/api/orgs/${owner.orgId}/api-keys`, { name: 'mine' })).status).toBe(403);
    expect((await viewer.delete(`/api/orgs/${owner.orgId}/api-keys/${key.id}`)).status).toBe(403);
    expect((await owner.client.get<ApiKeyView[]>(`/api/orgs/${owner.orgId}/api-keys`)).body).toHaveLength(1);
  });
});

describe('API key rate limit', () => {
  const api = new ApiHarness();
  beforeAll(() => api.start({ API_KEY_RATE_LIMIT_PER_MINUTE: '3' }));
  afterAll(() => api.stop());

  it('answers the request over the per-key limit with 429 and Retry-After; other keys are unaffected', async () => {
    const { client, orgId } = await api.signedUpUserOn('basic', 'key-limit');
    const site = await api.addSite(client, orgId);
    const busy = await newKey(client, orgId, 'busy');
    const quiet = await newKey(client, orgId, 'quiet');
    const machine = api.client();
    const query = { site_id: site.domain, metrics: ['visitors'], date_range: '7d' };

    for (let i = 0; i < 3; i++)
      expect((await machine.post('/api/v2/query', query, bearer(busy.key))).status).toBe(200);
    const limited = await machine.post('/api/v2/query', query, bearer(busy.key));
    expect(limited).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);

    expect((await machine.post('/api/v2/query', query, bearer(quiet.key))).status).toBe(200);
    // Signed-in dashboard use is not counted against keys.
    expect((await client.post('/api/v2/query', query)).status).toBe(200);
  });
});
