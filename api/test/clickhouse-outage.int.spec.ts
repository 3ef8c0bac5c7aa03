import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, SiteView } from '@sightline/api-contract';
import { freeLoopbackPort } from '@sightline/testing';
import { ApiHarness, type ApiClient } from './api-harness';

/**
 * The API with its ClickHouse unreachable (a loopback port nobody listens on): accounts, orgs and
 * sites keep working, the API stays ready, and every stats route answers a retryable 503 instead of
 * a masked 500.
 */
describe('API while ClickHouse is down', () => {
  const harness = new ApiHarness();
  let client: ApiClient;
  let orgId: string;
  let site: SiteView;

  beforeAll(async () => {
    const deadPort = await freeLoopbackPort();
    await harness.start({ CLICKHOUSE_URL: `http://127.0.0.1:${deadPort}` });
    ({ client, orgId } = await harness.signedUpUser('outage'));
    const created = await client.post<SiteView>(`/api/orgs/${orgId}/sites`, {
      domain: `outage-${randomBytes(3).toString('hex')}.example`,
    });
    expect(created.status).toBe(201);
    site = created.body;
  });
  afterAll(() => harness.stop());

  it('stays ready and reports analytics as down', async () => {
    const ready = await client.get<{ status: string; analytics: string }>('/api/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', analytics: 'down' });
  });

  it('keeps accounts and sites working', async () => {
    expect((await client.get('/api/auth/me')).status).toBe(200);
    const sites = await client.get<SiteView[]>(`/api/orgs/${orgId}/sites`);
    expect(sites.status).toBe(200);
    expect(sites.body.map((s) => s.domain)).toContain(site.domain);
    const renamed = await client.patch<SiteView>(`/api/sites/${site.domain}`, { timezone: 'Europe/Berlin' });
    expect(renamed.status).toBe(200);
  });

  it('answers stats with a retryable 503', async () => {
    const responses = await Promise.all([
      client.post<ApiErrorBody>('/api/v2/query', {
        site_id: site.domain,
        metrics: ['visitors'],
        date_range: '7d',
      }),
      client.get<ApiErrorBody>(`/api/sites/${site.domain}/status`),
      client.get<ApiErrorBody>(`/api/sites/${site.domain}/realtime`),
    ]);
    for (const res of responses) {
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('analytics_unavailable');
      expect(res.headers.get('retry-after')).toBe('10');
    }
  });

  it('deletes a site without ClickHouse (the workers sweep its events later)', async () => {
    const doomed = await client.post<SiteView>(`/api/orgs/${orgId}/sites`, {
      domain: `outage-doomed-${randomBytes(3).toString('hex')}.example`,
    });
    expect((await client.delete(`/api/sites/${doomed.body.domain}`)).status).toBe(204);
    expect((await client.get(`/api/sites/${doomed.body.domain}`)).status).toBe(404);
    expect((await client.get(`/api/sites/${site.domain}`)).status).toBe(200);
  });

  it('still rejects an invalid query with 400 before reaching ClickHouse', async () => {
    const res = await client.post<ApiErrorBody>('/api/v2/query', { site_id: site.domain, metrics: ['nope'] });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('metrics[0]');
  });
});
