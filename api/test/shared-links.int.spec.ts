import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunnelView, SharedDashboardView, SharedLinkView, SiteView } from '@sightline/api-contract';
import { WebVitalsRepository } from '@sightline/clickhouse';
import { serializeVitalsRow } from '@sightline/events';
import type { FunnelResult, PropertyKeysResponse, QueryResponse, VitalsResponse } from '@sightline/query';
import { insertRows } from '@sightline/testing';
import { ApiHarness, pageview } from './api-harness';

/** One page load's web vitals (LCP in ms). */
function vitals(siteId: number, visitor: number, lcp: number): string {
  return serializeVitalsRow({
    event_id: BigInt(Date.now()) * 1000n + BigInt(visitor),
    visitor_id: BigInt(visitor),
    site_id: siteId,
    timestamp: new Date(Date.now() - 2 * 3_600_000).toISOString().slice(0, 19).replace('T', ' '),
    hostname: 'example.com',
    pathname: '/',
    country_code: 'DE',
    browser: 'Firefox',
    os: 'Linux',
    device: 'Desktop',
    lcp,
    inp: -1,
    cls: 0,
    fcp: 500,
    ttfb: 100,
  });
}

/**
 * Shared dashboards: a read-only link reads exactly one site's stats, honours its password,
 * expiry and revocation, is never indexed and is rate limited (on a second API with the real
 * per-route budgets, RATE_LIMIT_SCALE=1, which signs nobody up: sign-ups from 127.0.0.1 share
 * their budget with every other test file).
 */
describe('shared dashboards', () => {
  const api = new ApiHarness();
  const { ctx } = api;
  let owner: Awaited<ReturnType<ApiHarness['signedUpUser']>>;
  let site: SiteView;
  let otherSite: SiteView;
  let foreignSite: SiteView;

  async function createLink(body: Record<string, unknown> = {}): Promise<SharedLinkView> {
    const res = await owner.client.post<SharedLinkView>(`/api/sites/${site.domain}/shared-links`, body);
    expect(res.status).toBe(201);
    return res.body;
  }
  const tokenOf = (link: SharedLinkView) => new URL(link.url).pathname.split('/').pop() ?? '';
  /** A visitor of the shared page: no session, their own cookie for the link's path. */
  function visitor(link: SharedLinkView, baseUrl = api.baseUrl, extraHeaders: Record<string, string> = {}) {
    let cookie = '';
    const base = `${baseUrl}/api/share/${tokenOf(link)}`;
    const call = async <T>(method: string, path: string, body?: unknown) => {
      const res = await fetch(base + path, {
        method,
        headers: {
          ...extraHeaders,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(cookie ? { cookie } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const set = res.headers.getSetCookie().find((c) => c.startsWith('sl_share='));
      if (set) cookie = set.split(';')[0] ?? '';
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T, set };
    };
    return { call, cookie: () => cookie };
  }

  beforeAll(async () => {
    await api.start();
    owner = await api.signedUpUserOn('premium', 'share-owner');
    site = await api.addSite(owner.client, owner.orgId);
    otherSite = await api.addSite(owner.client, owner.orgId);
    const stranger = await api.signedUpUser('share-stranger');
    foreignSite = await api.addSite(stranger.client, stranger.orgId);
    await insertRows(ctx.clickhouse, [
      pageview(site.id, 1, 2),
      pageview(site.id, 2, 3),
      pageview(site.id, 2, 4),
      pageview(otherSite.id, 7, 2),
      pageview(foreignSite.id, 9, 2),
      // Custom properties (Goals › Properties) and the funnel's last step.
      pageview(site.id, 1, 1, { name: 'Signup', props_keys: ['plan'], props_values: ['pro'] }),
      pageview(otherSite.id, 7, 1, { name: 'Signup', props_keys: ['secret_of_other'], props_values: ['x'] }),
      pageview(foreignSite.id, 9, 1, { name: 'Signup', props_keys: ['secret_foreign'], props_values: ['y'] }),
    ]);
    await new WebVitalsRepository(ctx.clickhouse).insertJsonLines([
      vitals(site.id, 1, 1200),
      vitals(site.id, 2, 1400),
      vitals(otherSite.id, 7, 9000),
      vitals(foreignSite.id, 9, 9000),
    ]);
  });
  afterAll(() => api.stop());

  it('reads the whole dashboard of its one site without signing in, and nothing else', async () => {
    const link = await createLink({ label: 'Investors' });
    expect(link).toMatchObject({ label: 'Investors', hasPassword: false, expiresAt: null, active: true });
    expect(link.url).toMatch(/^http:\/\/app\.sightline\.test\/share\/[A-Za-z0-9_-]{43}$/);
    const share = visitor(link);

    const opened = await share.call<SharedDashboardView>('GET', '');
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ domain: site.domain, timezone: 'UTC', currency: 'USD' });
    expect(opened.headers.get('x-robots-tag')).toBe('noindex, nofollow');

    const query = { site_id: site.domain, metrics: ['visitors', 'pageviews'], date_range: 'all' };
    const stats = await share.call<QueryResponse>('POST', '/query', query);
    expect(stats.status).toBe(200);
    expect(stats.body.results).toEqual([{ dimensions: [], metrics: [2, 3] }]);
    expect(stats.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    const breakdown = await share.call<QueryResponse>('POST', '/query', {
      ...query,
      metrics: ['visitors'],
      dimensions: ['visit:country'],
    });
    expect(breakdown.body.results).toEqual([{ dimensions: ['DE'], metrics: [2] }]);
    expect((await share.call<{ visitors: number }>('GET', '/realtime')).body).toEqual({ visitors: 0 });

    // Another site — the owner's own other site, another org's, or none — is a 404.
    for (const siteId of [otherSite.domain, foreignSite.domain, 'nope.example.com', undefined]) {
      const res = await share.call<{ error: { code: string } }>('POST', '/query', {
        ...query,
        site_id: siteId,
      });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    // The token is no credential anywhere else.
    const anonymous = api.client();
    expect((await anonymous.get(`/api/sites/${site.domain}`)).status).toBe(401);
    const bearer = { authorization: `Bearer ${tokenOf(link)}` };
    expect((await anonymous.post('/api/v2/query', query, bearer)).status).toBe(401);
    expect((await anonymous.get(`/api/sites/${site.domain}/shared-links`, bearer)).status).toBe(401);
    // A forged or unknown token: 404, with the noindex header too.
    const unknown = await fetch(`${api.baseUrl}/api/share/${'A'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect((await fetch(`${api.baseUrl}/api/share/short`)).status).toBe(404);
  });

  it('reads the Properties, Performance and Funnels panels of its one site only; editing stays with members', async () => {
    const steps = [
      { kind: 'page', pattern: '/' },
      { kind: 'event', name: 'Signup' },
    ];
    const funnel = await owner.client.post<FunnelView>(`/api/sites/${site.domain}/funnels`, {
      name: 'Shared signup',
      steps,
    });
    expect(funnel.status).toBe(201);
    const otherFunnel = await owner.client.post<FunnelView>(`/api/sites/${otherSite.domain}/funnels`, {
      name: 'Not shared',
      steps,
    });
    expect(otherFunnel.status).toBe(201);
    const link = await createLink({ label: 'Panels' });
    const share = visitor(link);
    const period = { site_id: site.domain, date_range: 'all' };

    // Goals › Properties: this site's keys, never another's.
    const keys = await share.call<PropertyKeysResponse>('POST', '/property-keys', period);
    expect(keys.status).toBe(200);
    expect(keys.body.results).toEqual([{ key: 'plan', visitors: 1 }]);
    expect(keys.headers.get('x-robots-tag')).toBe('noindex, nofollow');

    // Performance: this site's page loads only (the others' slow LCPs would move the p75).
    const perf = await share.call<VitalsResponse>('POST', '/vitals', { ...period, date_range: '7d' });
    expect(perf.status).toBe(200);
    const lcp = perf.body.summary.find((m) => m.metric === 'lcp');
    expect(lcp).toMatchObject({ samples: 2, good: 2, poor: 0 });
    expect(perf.headers.get('x-robots-tag')).toBe('noindex, nofollow');

    // Funnels: the list and a run of this site's funnel; another site's funnel id is unknown here.
    const list = await share.call<FunnelView[]>('GET', '/funnels');
    expect(list.status).toBe(200);
    expect(list.body.map((f) => f.name)).toEqual(['Shared signup']);
    expect(list.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    const run = await share.call<FunnelResult>('POST', `/funnels/${funnel.body.id}/query`, {
      date_range: 'all',
    });
    expect(run.status).toBe(200);
    expect(run.body.steps.map((st) => st.visitors)).toEqual([2, 1]);
    for (const id of [otherFunnel.body.id, 'not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      const res = await share.call<{ error: { code: string } }>('POST', `/funnels/${id}/query`, {});
      expect(res.status).toBe(404);
    }
    // Property keys and vitals of another site — the owner's other one, another org's, none — are 404s.
    for (const siteId of [otherSite.domain, foreignSite.domain, 'nope.example.com', undefined]) {
      for (const route of ['/property-keys', '/vitals']) {
        const res = await share.call<{ error: { code: string } }>('POST', route, {
          ...period,
          site_id: siteId,
        });
        expect(res.status, `${route} ${siteId}`).toBe(404);
        expect(res.body.error.code).toBe('not_found');
      }
    }
    // Bad bodies on the right site: a 400 naming the field, as on the members' routes.
    const bad = await share.call<{ error: { code: string } }>('POST', '/vitals', {
      ...period,
      date_range: 'soon',
    });
    expect(bad.status).toBe(400);

    // Read-only: the link cannot create, change or delete funnels (no such routes), and its
    // token is no credential on the members' routes.
    expect((await share.call('POST', '/funnels', { name: 'x', steps })).status).toBe(404);
    expect((await share.call('PUT', `/funnels/${funnel.body.id}`, { name: 'x', steps })).status).toBe(404);
    expect((await share.call('DELETE', `/funnels/${funnel.body.id}`)).status).toBe(404);
    const bearer = { authorization: `Bearer ${tokenOf(link)}` };
    const anonymous = api.client();
    expect((await anonymous.post('/api/v2/vitals', period, bearer)).status).toBe(401);
    expect((await anonymous.post('/api/v2/property-keys', period, bearer)).status).toBe(401);
    expect((await anonymous.get(`/api/sites/${site.domain}/funnels`, bearer)).status).toBe(401);
    expect((await owner.client.get<FunnelView[]>(`/api/sites/${site.domain}/funnels`)).body).toHaveLength(1);

    // A password link guards these routes as it guards the query.
    const locked = visitor(await createLink({ password: 'panel password 1' }));
    expect((await locked.call('POST', '/property-keys', period)).status).toBe(401);
    expect((await locked.call('POST', '/vitals', period)).status).toBe(401);
    expect((await locked.call('GET', '/funnels')).status).toBe(401);
    expect((await locked.call('POST', `/funnels/${funnel.body.id}/query`, {})).status).toBe(401);
  });

  it('asks for the password, refuses a wrong one, and remembers the right one for this link only', async () => {
    const link = await createLink({ password: 'correct horse battery' });
    expect(link.hasPassword).toBe(true);
    const stored = await ctx.pool.query<{ password_hash: string; token_hash: string }>(
      'SELECT password_hash, token_hash FROM shared_links WHERE id = $1',
      [link.id],
    );
    expect(stored.rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
    expect(stored.rows[0]?.token_hash).not.toContain(tokenOf(link));
    const share = visitor(link);
    const query = { site_id: site.domain, metrics: ['visitors'], date_range: 'all' };

    expect((await share.call<{ error: { code: string } }>('GET', '')).body.error.code).toBe(
      'password_required',
    );
    expect((await share.call('POST', '/query', query)).status).toBe(401);
    expect((await share.call('GET', '/realtime')).status).toBe(401);
    const wrong = await share.call<{ error: { code: string } }>('POST', '/password', {
      password: 'wrong one!',
    });
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'wrong_password' } } });
    expect(share.cookie()).toBe('');
    const empty = await share.call<{ error: { field: string } }>('POST', '/password', {});
    expect(empty).toMatchObject({ status: 400, body: { error: { field: 'password' } } });

    const right = await share.call('POST', '/password', { password: 'correct horse battery' });
    expect(right.status).toBe(204);
    expect(right.set).toMatch(new RegExp(`Path=/api/share/${tokenOf(link)}`));
    expect(right.set).toMatch(/HttpOnly/i);
    expect((await share.call('GET', '')).status).toBe(200);
    expect((await share.call<QueryResponse>('POST', '/query', query)).body.results).toEqual([
      { dimensions: [], metrics: [2] },
    ]);

    // The cookie proves this link's password only: another password link still asks.
    const second = await createLink({ password: 'another password' });
    const res = await fetch(`${api.baseUrl}/api/share/${tokenOf(second)}`, {
      headers: { cookie: share.cookie() },
    });
    expect(res.status).toBe(401);
    // A tampered cookie is no proof either.
    const tampered = await fetch(`${api.baseUrl}/api/share/${tokenOf(link)}`, {
      headers: { cookie: `${share.cookie()}x` },
    });
    expect(tampered.status).toBe(401);
  });

  it('stops working when it expires or is revoked; lists, validates and is managed by owners and admins only', async () => {
    const past = await owner.client.post(`/api/sites/${site.domain}/shared-links`, {
      expiresAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(past).toMatchObject({ status: 400, body: { error: { field: 'expiresAt' } } });
    for (const bad of [{ expiresAt: 'tomorrow' }, { password: 'short' }, { label: '' }]) {
      const res = await owner.client.post(`/api/sites/${site.domain}/shared-links`, bad);
      expect(res.status).toBe(400);
    }

    const expiring = await createLink({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    const share = visitor(expiring);
    expect((await share.call('GET', '')).status).toBe(200);
    await ctx.pool.query("UPDATE shared_links SET expires_at = now() - interval '1 second' WHERE id = $1", [
      expiring.id,
    ]);
    expect((await share.call('GET', '')).status).toBe(404);
    expect((await share.call('POST', '/query', { site_id: site.domain, metrics: ['visitors'] })).status).toBe(
      404,
    );

    const revoked = await createLink({ label: 'to revoke' });
    const revokedShare = visitor(revoked);
    expect((await revokedShare.call('GET', '')).status).toBe(200);
    const path = `/api/sites/${site.domain}/shared-links`;
    expect((await owner.client.delete(`${path}/${revoked.id}`)).status).toBe(204);
    expect((await revokedShare.call('GET', '')).status).toBe(404);
    expect((await owner.client.delete(`${path}/${revoked.id}`)).status).toBe(404);
    expect((await owner.client.delete(`${path}/not-a-uuid`)).status).toBe(404);

    const listed = await owner.client.get<SharedLinkView[]>(path);
    const byId = new Map(listed.body.map((l) => [l.id, l]));
    expect(byId.get(revoked.id)).toMatchObject({ active: false, url: revoked.url });
    expect(byId.get(revoked.id)?.revokedAt).not.toBeNull();
    expect(byId.get(expiring.id)).toMatchObject({ active: false });

    // A viewer of the org reads the dashboard but does not manage its links.
    const { client: viewer } = await api.joinedMember(owner.client, owner.orgId, 'viewer', 'share-viewer');
    expect((await viewer.get(path)).status).toBe(403);
    expect((await viewer.post(path, {})).status).toBe(403);
    expect((await viewer.delete(`${path}/${expiring.id}`)).status).toBe(403);

    // Another org's owner: the site does not exist for them.
    const stranger = await api.signedUpUser('share-outsider');
    expect((await stranger.client.get(path)).status).toBe(404);
    expect((await stranger.client.post(path, {})).status).toBe(404);
    expect((await stranger.client.delete(`${path}/${expiring.id}`)).status).toBe(404);
    // A link of another site cannot be revoked through this one.
    const otherLink = await owner.client.post<SharedLinkView>(
      `/api/sites/${otherSite.domain}/shared-links`,
      {},
    );
    expect((await owner.client.delete(`${path}/${otherLink.body.id}`)).status).toBe(404);
    expect((await api.client().get(path)).status).toBe(401);
  });

  it('rate limits password guesses per address (429 with Retry-After)', async () => {
    const link = await createLink({ password: 'rate limited pw' });
    // An address no other test used: the per-address budget is shared through Redis, and points an
    // earlier test spent on 127.0.0.1 expiring mid-loop would let extra guesses through.
    const strict = await new ApiHarness().start({ RATE_LIMIT_SCALE: '1', TRUSTED_PROXY_HOPS: '1' });
    const address = `198.51.100.${1 + Math.floor(Math.random() * 250)}`;
    const share = visitor(link, strict.baseUrl, { 'x-forwarded-for': address });
    let status = 0;
    let tries = 0;
    let retryAfter: string | null = null;
    while (status !== 429 && tries < 30) {
      const res = await share.call('POST', '/password', { password: `guess ${tries}` });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      tries++;
    }
    await strict.stop();
    expect(status).toBe(429);
    expect(tries).toBeLessThanOrEqual(11);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
