import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApiKey, FunnelView, SiteView } from '@sightline/api-contract';
import type { EventRow } from '@sightline/events';
import type { FunnelResult } from '@sightline/query';
import { eventRow, insertRows } from '@sightline/testing';
import { ApiHarness, type ApiClient } from './api-harness';

/** A stored event; even visitors came from Google. */
function pageview(
  siteId: number,
  at: string,
  visitor: number,
  pathname: string,
  name = 'pageview',
): EventRow {
  return eventRow(siteId, at, {
    name,
    pathname,
    referrer_source: visitor % 2 === 0 ? 'Google' : '',
    visitor_id: BigInt(visitor),
    session_id: BigInt(visitor * 10),
  });
}

const STEPS = [
  { kind: 'page', pattern: '/' },
  { kind: 'page', pattern: '/pricing' },
  { kind: 'event', name: 'Signup' },
];

describe('funnels API', () => {
  const api = new ApiHarness();
  const { ctx } = api;
  let owner: ApiClient;
  let orgId: string;
  let site: SiteView;
  let base: string;
  let intruder: ApiClient;
  let intruderSite: SiteView;

  const put = <T>(client: ApiClient, path: string, body: unknown) => client.request<T>('PUT', path, body);

  beforeAll(async () => {
    await api.start();
    const user = await api.signedUpUserOn('premium', 'funnels');
    owner = user.client;
    orgId = user.orgId;
    site = (
      await owner.post<SiteView>(`/api/orgs/${orgId}/sites`, { domain: `funnels-${ctx.runId}.example` })
    ).body;
    base = `/api/sites/${site.domain}/funnels`;
    const other = await api.signedUpUserOn('premium', 'funnels-other');
    intruder = other.client;
    intruderSite = (
      await intruder.post<SiteView>(`/api/orgs/${other.orgId}/sites`, {
        domain: `funnels-other-${ctx.runId}.example`,
      })
    ).body;
    // Visitor 1 converts, 2 stops at /pricing, 3 only sees /, 4 goes /pricing → / (out of order).
    const day = '2026-03-10T';
    const rows = [
      pageview(site.id, `${day}10:00:00Z`, 1, '/'),
      pageview(site.id, `${day}10:01:00Z`, 1, '/pricing'),
      pageview(site.id, `${day}10:02:00Z`, 1, '/pricing', 'Signup'),
      pageview(site.id, `${day}11:00:00Z`, 2, '/'),
      pageview(site.id, `${day}11:01:00Z`, 2, '/pricing'),
      pageview(site.id, `${day}12:00:00Z`, 3, '/'),
      pageview(site.id, `${day}13:00:00Z`, 4, '/pricing'),
      pageview(site.id, `${day}13:01:00Z`, 4, '/'),
      // The other tenant: same visitors, all converting.
      ...[1, 2, 3, 4].flatMap((v) => [
        pageview(intruderSite.id, `${day}10:00:00Z`, v, '/'),
        pageview(intruderSite.id, `${day}10:01:00Z`, v, '/pricing'),
        pageview(intruderSite.id, `${day}10:02:00Z`, v, '/', 'Signup'),
      ]),
    ];
    await insertRows(ctx.clickhouse, rows);
  });
  afterAll(() => api.stop());

  it('creates, lists, runs, renames and deletes a funnel', async () => {
    const created = await owner.post<FunnelView>(base, { name: ' Signup flow ', steps: STEPS });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Signup flow', steps: STEPS });
    const id = created.body.id;
    expect((await owner.get<FunnelView[]>(base)).body.map((f) => f.id)).toEqual([id]);

    const result = await owner.post<FunnelResult>(`${base}/${id}/query`, {
      date_range: ['2026-03-10', '2026-03-10'],
    });
    expect(result.status).toBe(200);
    expect(result.body.steps.map((s) => [s.label, s.visitors, s.conversion_rate, s.dropoff])).toEqual([
      ['Visit /', 4, 100, 0],
      ['Visit /pricing', 2, 50, 2],
      ['Signup', 1, 25, 1],
    ]);
    expect(result.body.all_visitors).toBe(4);
    // Dashboard filters: visit:source Google keeps visitors 2 and 4.
    const google = await owner.post<FunnelResult>(`${base}/${id}/query`, {
      date_range: ['2026-03-10', '2026-03-10'],
      filters: [['is', 'visit:source', ['Google']]],
    });
    expect(google.body.steps.map((s) => s.visitors)).toEqual([2, 1, 0]);

    const renamed = await put<FunnelView>(owner, `${base}/${id}`, {
      name: 'Pricing',
      steps: [STEPS[1], STEPS[2]],
    });
    expect(renamed).toMatchObject({
      status: 200,
      body: { id, name: 'Pricing', steps: [STEPS[1], STEPS[2]] },
    });
    expect((await owner.delete(`${base}/${id}`)).status).toBe(204);
    expect((await owner.get<FunnelView[]>(base)).body).toEqual([]);
    expect((await owner.delete(`${base}/${id}`)).status).toBe(404);
    expect((await owner.post(`${base}/${id}/query`, {})).status).toBe(404);
  });

  it('refuses bad funnels with a clear 400 naming the field, and stores nothing', async () => {
    const bad: [unknown, string][] = [
      [
        { name: 'Nine', steps: Array.from({ length: 9 }, (_, i) => ({ kind: 'page', pattern: `/p${i}` })) },
        'steps',
      ],
      [{ name: 'One', steps: [STEPS[0]] }, 'steps'],
      [{ name: 'Empty', steps: [{ kind: 'page', pattern: '' }, STEPS[1]] }, 'steps[0].pattern'],
      [{ name: 'Blank', steps: [STEPS[0], { kind: 'page', pattern: '   ' }] }, 'steps[1].pattern'],
      [{ name: 'No slash', steps: [{ kind: 'page', pattern: 'pricing' }, STEPS[1]] }, 'steps[0].pattern'],
      [
        { name: 'Bomb', steps: [{ kind: 'page', pattern: '/**/**/**/**/**/**/**/**/**/x' }, STEPS[1]] },
        'steps[0].pattern',
      ],
      [{ name: 'Stars', steps: [{ kind: 'page', pattern: '/a***' }, STEPS[1]] }, 'steps[0].pattern'],
      [{ name: 'Query', steps: [{ kind: 'page', pattern: '/a?b=1' }, STEPS[1]] }, 'steps[0].pattern'],
      [
        { name: 'Long', steps: [{ kind: 'page', pattern: `/${'a'.repeat(300)}` }, STEPS[1]] },
        'steps[0].pattern',
      ],
      [{ name: 'Regex', steps: [{ kind: 'regex', pattern: '/(a+)+$' }, STEPS[1]] }, 'steps[0].kind'],
      [{ name: 'Pageview', steps: [STEPS[0], { kind: 'event', name: 'pageview' }] }, 'steps[1].name'],
      [{ name: 'No name', steps: [STEPS[0], { kind: 'event', name: '' }] }, 'steps[1].name'],
      [{ name: 'Twice', steps: [STEPS[0], STEPS[1], { kind: 'page', pattern: '/' }] }, 'steps[2]'],
      [{ name: '', steps: STEPS }, 'name'],
      [{ name: 'Extra', steps: STEPS, owner: 'me' }, 'body'],
      [{ name: 'Not a list', steps: 'a,b' }, 'steps'],
    ];
    for (const [body, field] of bad) {
      const res = await owner.post(base, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body, JSON.stringify(body)).toMatchObject({ error: { code: 'invalid_request', field } });
    }
    expect((await owner.get<FunnelView[]>(base)).body).toEqual([]);
    // Regex characters in a path are fine: they match literally.
    const literal = await owner.post<FunnelView>(base, {
      name: 'Literal',
      steps: [{ kind: 'page', pattern: '/(a+)+$' }, STEPS[1]],
    });
    expect(literal.status).toBe(201);
    const run = await owner.post<FunnelResult>(`${base}/${literal.body.id}/query`, {
      date_range: ['2026-03-10', '2026-03-10'],
    });
    expect(run.body.steps.map((s) => s.visitors)).toEqual([0, 0]);
    // Bad query bodies: the Stats API's messages.
    const badQuery = await owner.post(`${base}/${literal.body.id}/query`, { date_range: 'forever' });
    expect(badQuery).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_query', field: 'date_range' } },
    });
    expect((await owner.delete(`${base}/${literal.body.id}`)).status).toBe(204);
  });

  it('keeps names unique per site (ignoring case) and an update cannot take another name', async () => {
    const a = await owner.post<FunnelView>(base, { name: 'Checkout', steps: STEPS });
    expect(a.status).toBe(201);
    const dup = await owner.post(base, { name: 'checkout', steps: STEPS });
    expect(dup).toMatchObject({ status: 409, body: { error: { code: 'funnel_name_taken', field: 'name' } } });
    const b = await owner.post<FunnelView>(base, { name: 'Other', steps: STEPS });
    const clash = await put(owner, `${base}/${b.body.id}`, { name: 'CHECKOUT', steps: STEPS });
    expect(clash.status).toBe(409);
    // Keeping its own name is fine; another site may use the same name.
    expect(
      (await put(owner, `${base}/${a.body.id}`, { name: 'Checkout', steps: STEPS.slice(0, 2) })).status,
    ).toBe(200);
    const elsewhere = await intruder.post(`/api/sites/${intruderSite.domain}/funnels`, {
      name: 'Checkout',
      steps: STEPS,
    });
    expect(elsewhere.status).toBe(201);
    for (const f of [a.body, b.body]) expect((await owner.delete(`${base}/${f.id}`)).status).toBe(204);
  });

  it("answers 404 for another org's site or funnel, and for ids that are not ids", async () => {
    const mine = await owner.post<FunnelView>(base, { name: 'Mine', steps: STEPS });
    const theirs = (await intruder.get<FunnelView[]>(`/api/sites/${intruderSite.domain}/funnels`))
      .body[0] as FunnelView;
    const otherBase = `/api/sites/${intruderSite.domain}/funnels`;
    const attempts: [string, string, unknown?][] = [
      ['GET', otherBase],
      ['POST', otherBase, { name: 'Planted', steps: STEPS }],
      ['PUT', `${otherBase}/${theirs.id}`, { name: 'Taken', steps: STEPS }],
      ['DELETE', `${otherBase}/${theirs.id}`],
      ['POST', `${otherBase}/${theirs.id}/query`, {}],
      // Their funnel id under my own site.
      ['PUT', `${base}/${theirs.id}`, { name: 'Taken', steps: STEPS }],
      ['DELETE', `${base}/${theirs.id}`],
      ['POST', `${base}/${theirs.id}/query`, {}],
      ['POST', `${base}/not-a-uuid/query`, {}],
      ['DELETE', `${base}/'; DROP TABLE funnels; --`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await owner.request(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await intruder.get<FunnelView[]>(otherBase)).body).toMatchObject([
      { id: theirs.id, name: 'Checkout' },
    ]);
    expect((await owner.delete(`${base}/${mine.body.id}`)).status).toBe(204);
  });

  it('lets an API key list and run funnels, but not change them', async () => {
    const funnel = await owner.post<FunnelView>(base, { name: 'Keyed', steps: STEPS });
    const key = (await owner.post<CreatedApiKey>(`/api/orgs/${orgId}/api-keys`, { name: 'funnels' })).body;
    const auth = { authorization: `Bearer ${key.key}` };
    const client = api.client();
    expect((await client.get<FunnelView[]>(base, auth)).body.map((f) => f.name)).toEqual(['Keyed']);
    const result = await client.post<FunnelResult>(
      `${base}/${funnel.body.id}/query`,
      { date_range: ['2026-03-10', '2026-03-10'] },
      auth,
    );
    expect(result.body.steps.map((s) => s.visitors)).toEqual([4, 2, 1]);
    expect((await client.post(base, { name: 'By key', steps: STEPS }, auth)).status).toBe(401);
    expect((await owner.delete(`${base}/${funnel.body.id}`)).status).toBe(204);
  });
});
