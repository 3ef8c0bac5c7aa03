import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteStatus, SiteView } from '@sightline/api-contract';
import type { EventRow } from '@sightline/events';
import { eventRow, insertRows, type EventRowFields } from '@sightline/testing';
import { ApiHarness, type ApiClient } from './api-harness';

/** A stored pageview as the flusher would write it, `minutesAgo` before now, by `visitor` in session `visitor * 10`. */
function pageview(
  siteId: number,
  minutesAgo: number,
  visitor: number,
  fields: EventRowFields = {},
): EventRow {
  return eventRow(siteId, new Date(Date.now() - minutesAgo * 60_000), {
    visitor_id: BigInt(visitor),
    session_id: BigInt(visitor * 10),
    ...fields,
  });
}

describe('sites', () => {
  const api = new ApiHarness();
  const { ctx } = api;
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  /** A viewer of the org, signed in. */
  async function viewerOf(owner: ApiClient, orgId: string): Promise<ApiClient> {
    const viewer = await api.joinedMember(owner, orgId, 'viewer', 'site-viewer');
    expect(viewer.me.orgs).toEqual([expect.objectContaining({ orgId, role: 'viewer' })]);
    return viewer.client;
  }

  it('creates a site with a normalised domain, defaults, and the snippet', async () => {
    const { client, orgId } = await api.signedUpUser('site-create');
    const host = api.uniqueDomain('shop');
    const res = await client.post<SiteView>(`/api/orgs/${orgId}/sites`, {
      domain: `https://WWW.${host.toUpperCase()}:8443/path?q=1#top`,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      orgId,
      domain: host,
      name: host,
      timezone: 'UTC',
      allowedHostnames: [],
    });
    expect(res.body.snippet).toContain(`data-domain="${host}"`);
    expect(res.body.snippet).toContain('src="https://ingest.sightline.test/js/script.js"');

    const named = await client.post<SiteView>(`/api/orgs/${orgId}/sites`, {
      domain: api.uniqueDomain('named'),
      name: '  Marketing site ',
      timezone: 'Europe/Berlin',
    });
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ name: 'Marketing site', timezone: 'Europe/Berlin' });
  });

  it.each([
    ['not a domain'],
    ['localhost'],
    ['exa_mple.com'],
    ['http://'],
    ['   '],
    ['a..b.com'],
    ['-leading.example.com'],
    ['trailing-.example.com'],
    [`${'x'.repeat(64)}.example.com`],
    ['user@example.com'],
  ])('rejects the domain %j with 400 on `domain`', async (domain) => {
    const { client, orgId } = await api.signedUpUser('site-bad');
    const res = await client.post(`/api/orgs/${orgId}/sites`, { domain });
    expect(res).toMatchObject({ status: 400, body: { error: { field: 'domain' } } });
    expect((await client.get<SiteView[]>(`/api/orgs/${orgId}/sites`)).body).toEqual([]);
  });

  it('rejects a domain that is already registered, in this org or another one (409 domain_taken)', async () => {
    const first = await api.signedUpUser('site-dup-1');
    const second = await api.signedUpUser('site-dup-2');
    const site = await api.addSite(first.client, first.orgId);
    const again = await first.client.post(`/api/orgs/${first.orgId}/sites`, { domain: site.domain });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'domain_taken', field: 'domain' } } });
    const elsewhere = await second.client.post(`/api/orgs/${second.orgId}/sites`, {
      domain: `http://www.${site.domain.toUpperCase()}/`,
    });
    expect(elsewhere).toMatchObject({ status: 409, body: { error: { code: 'domain_taken' } } });
    expect((await second.client.get<SiteView[]>(`/api/orgs/${second.orgId}/sites`)).body).toEqual([]);
  });

  it("lists an org's sites and gets one by domain", async () => {
    const { client, orgId } = await api.signedUpUser('site-list');
    const a = await api.addSite(client, orgId, api.uniqueDomain('a'));
    const b = await api.addSite(client, orgId, api.uniqueDomain('b'));
    const list = await client.get<SiteView[]>(`/api/orgs/${orgId}/sites`);
    expect(list.status).toBe(200);
    expect(list.body.map((s) => s.domain)).toEqual([a.domain, b.domain]);

    const one = await client.get<SiteView>(`/api/sites/${a.domain}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(a);
    // The path parameter is normalised like the stored domain.
    expect((await client.get<SiteView>(`/api/sites/WWW.${a.domain.toUpperCase()}`)).body.id).toBe(a.id);
    expect((await client.get(`/api/sites/${api.uniqueDomain('missing')}`)).status).toBe(404);
    expect((await client.get('/api/sites/%20')).status).toBe(404);
  });

  it('updates name, timezone and allowed hostnames, naming the bad field', async () => {
    const { client, orgId } = await api.signedUpUser('site-update');
    const site = await api.addSite(client, orgId);
    const url = `/api/sites/${site.domain}`;
    const res = await client.patch<SiteView>(url, {
      name: 'Renamed',
      timezone: 'America/New_York',
      allowedHostnames: ['Example.COM', '*.example.com'],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Renamed',
      timezone: 'America/New_York',
      allowedHostnames: ['example.com', '*.example.com'],
    });
    expect((await client.get<SiteView>(url)).body).toMatchObject({
      name: 'Renamed',
      timezone: 'America/New_York',
      allowedHostnames: ['example.com', '*.example.com'],
    });

    // Partial updates leave the other fields alone.
    expect((await client.patch<SiteView>(url, { name: 'Only the name' })).body).toMatchObject({
      name: 'Only the name',
      timezone: 'America/New_York',
    });
    const nothing = await client.patch<SiteView>(url, {});
    expect(nothing.status).toBe(200);
    expect(nothing.body.name).toBe('Only the name');

    const badTz = await client.patch(url, { timezone: 'Mars/Olympus_Mons' });
    expect(badTz).toMatchObject({ status: 400, body: { error: { field: 'timezone' } } });
    const badHost = await client.patch(url, { allowedHostnames: ['not a host!'] });
    expect(badHost).toMatchObject({ status: 400, body: { error: { field: 'allowedHostnames[0]' } } });
    const secondBad = await client.patch(url, { allowedHostnames: ['ok.example.com', 'https://x.com/'] });
    expect(secondBad).toMatchObject({ status: 400, body: { error: { field: 'allowedHostnames[1]' } } });
    const emptyName = await client.patch(url, { name: '' });
    expect(emptyName).toMatchObject({ status: 400, body: { error: { field: 'name' } } });
    expect((await client.get<SiteView>(url)).body).toMatchObject({
      name: 'Only the name',
      timezone: 'America/New_York',
      allowedHostnames: ['example.com', '*.example.com'],
    });
  });

  it('sets the revenue currency (ISO 4217, default USD); revenue metrics report in it', async () => {
    const { client, orgId } = await api.signedUpUser('site-currency');
    const site = await api.addSite(client, orgId);
    expect(site.currency).toBe('USD');
    const url = `/api/sites/${site.domain}`;
    expect((await client.patch<SiteView>(url, { currency: 'eur' })).body.currency).toBe('EUR');
    for (const bad of ['EURO', 'XYZ', '', 42, "US'"]) {
      const res = await client.patch(url, { currency: bad });
      expect(res).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid_request', field: 'currency' } },
      });
    }
    expect((await client.get<SiteView>(url)).body.currency).toBe('EUR');

    const purchase = (amount: number, currency: string, plan: string) =>
      pageview(site.id, 2, 7, {
        name: 'Purchase',
        props_keys: ['plan'],
        props_values: [plan],
        revenue_amount: amount,
        revenue_currency: currency,
      });
    await insertRows(ctx.clickhouse, [
      purchase(12.5, 'EUR', 'pro'),
      purchase(7.5, 'EUR', 'basic'),
      purchase(100, 'USD', 'pro'),
    ]);
    const query = await client.post<{ results: { dimensions: string[]; metrics: number[] }[] }>(
      '/api/v2/query',
      {
        site_id: site.domain,
        metrics: ['events', 'total_revenue', 'average_revenue'],
        date_range: 'day',
        dimensions: ['event:props:plan'],
        filters: [['is', 'event:goal', ['Purchase']]],
      },
    );
    expect(query.status).toBe(200);
    // The USD purchase counts as an event but not as EUR revenue.
    expect(query.body.results).toEqual([
      { dimensions: ['pro'], metrics: [2, 12.5, 12.5] },
      { dimensions: ['basic'], metrics: [1, 7.5, 7.5] },
    ]);
    const badKey = await client.post('/api/v2/query', {
      site_id: site.domain,
      metrics: ['visitors'],
      date_range: 'day',
      dimensions: ['event:props:'],
    });
    expect(badKey).toMatchObject({ status: 400, body: { error: { field: 'dimensions[0]' } } });

    // The properties panel lists a goal's property keys.
    const keys = await client.post('/api/v2/property-keys', {
      site_id: site.domain,
      date_range: 'day',
      filters: [['is', 'event:goal', ['Purchase']]],
    });
    expect(keys).toMatchObject({ status: 200, body: { results: [{ key: 'plan', visitors: 1 }] } });
    const badKeys = await client.post('/api/v2/property-keys', {
      site_id: site.domain,
      date_range: 'day',
      metrics: ['visitors'],
    });
    expect(badKeys).toMatchObject({ status: 400, body: { error: { field: 'metrics' } } });
  });

  it('lets a viewer read sites but not add, change or delete them', async () => {
    const owner = await api.signedUpUser('site-roles');
    const site = await api.addSite(owner.client, owner.orgId);
    const viewer = await viewerOf(owner.client, owner.orgId);

    expect((await viewer.get<SiteView[]>(`/api/orgs/${owner.orgId}/sites`)).body).toEqual([site]);
    expect((await viewer.get<SiteView>(`/api/sites/${site.domain}`)).status).toBe(200);
    expect((await viewer.get<SiteStatus>(`/api/sites/${site.domain}/status`)).status).toBe(200);
    expect((await viewer.get(`/api/sites/${site.domain}/realtime`)).body).toEqual({ visitors: 0 });

    const patch = await viewer.patch(`/api/sites/${site.domain}`, { name: 'Hijacked' });
    expect(patch).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((await viewer.delete(`/api/sites/${site.domain}`)).status).toBe(403);
    expect((await viewer.post(`/api/orgs/${owner.orgId}/sites`, { domain: api.uniqueDomain() })).status).toBe(
      403,
    );
    expect((await owner.client.get<SiteView>(`/api/sites/${site.domain}`)).body.name).toBe(site.name);
  });

  it('reports whether the site has received events', async () => {
    const { client, orgId } = await api.signedUpUser('site-status');
    const site = await api.addSite(client, orgId);
    const before = await client.get<SiteStatus>(`/api/sites/${site.domain}/status`);
    expect(before).toMatchObject({ status: 200, body: { hasEvents: false, lastEventAt: null } });

    await insertRows(ctx.clickhouse, [pageview(site.id, 3, 1)]);
    const after = await client.get<SiteStatus>(`/api/sites/${site.domain}/status`);
    expect(after.body.hasEvents).toBe(true);
    const last = new Date(after.body.lastEventAt ?? '').getTime();
    expect(Math.abs(last - (Date.now() - 3 * 60_000))).toBeLessThan(60_000);
    expect((await client.get(`/api/sites/${site.domain}/realtime`)).body).toEqual({ visitors: 1 });
  });

  it('deletes a site softly: 404 afterwards, hidden from lists, the domain free again; its events wait for the sweep', async () => {
    const { client, orgId } = await api.signedUpUser('site-delete');
    const doomed = await api.addSite(client, orgId);
    const kept = await api.addSite(client, orgId);
    await insertRows(ctx.clickhouse, [
      ...[1, 2, 3].map((v) => pageview(doomed.id, 10 + v, v)),
      ...[1, 2].map((v) => pageview(kept.id, 10 + v, v)),
    ]);
    expect(await ctx.countEvents(doomed.id)).toBe(3);

    expect((await client.delete(`/api/sites/${doomed.domain}`)).status).toBe(204);
    expect((await client.get(`/api/sites/${doomed.domain}`)).status).toBe(404);
    expect((await client.get(`/api/sites/${doomed.domain}/status`)).status).toBe(404);
    expect((await client.delete(`/api/sites/${doomed.domain}`)).status).toBe(404);
    expect((await client.get<SiteView[]>(`/api/orgs/${orgId}/sites`)).body.map((s) => s.id)).toEqual([
      kept.id,
    ]);

    // The row stays, marked deleted, until the workers' retention sweep has removed its events
    // (workers/test/retention-sweep.int.spec.ts); nothing is deleted in ClickHouse by the API.
    const row = await ctx.pool.query<{ deleted_at: Date | null }>(
      'SELECT deleted_at FROM sites WHERE id = $1',
      [doomed.id],
    );
    expect(row.rows[0]?.deleted_at).toBeInstanceOf(Date);
    expect(await ctx.countEvents(doomed.id)).toBe(3);
    expect(await ctx.countEvents(kept.id)).toBe(2);

    // The domain is free again.
    const recreated = await api.addSite(client, orgId, doomed.domain);
    expect(recreated.id).not.toBe(doomed.id);
    expect((await client.get<SiteStatus>(`/api/sites/${doomed.domain}/status`)).body.hasEvents).toBe(false);
  });
});
