import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiKeyView,
  CreatedApiKey,
  FunnelView,
  InvitationView,
  MeResponse,
  MemberView,
  OrgView,
  SessionView,
  SharedLinkView,
  SiteView,
} from '@sightline/api-contract';
import { MailCatcher } from '@sightline/testing';
import { API_CONTROLLERS } from '../src/app.module';
import { routeTable, type RouteInfo } from '../src/openapi/route-table';
import { ApiHarness, type ApiClient } from './api-harness';

/**
 * DESIGN: "a test walks every registered route as a member of org A asking for org B's resources
 * and expects 403/404". The route list comes from the controllers themselves, so a new route with
 * a path parameter fails this file until it is added to `attacks` below.
 */
const routes = routeTable(API_CONTROLLERS);
const routeKey = (r: Pick<RouteInfo, 'method' | 'path'>) => `${r.method} ${r.path}`;

/** Routes anyone may call without signing in. Anything else marked public must be added here on purpose. */
const PUBLIC_ROUTES = [
  'GET /api/auth/config',
  'POST /api/auth/signup',
  'POST /api/auth/login',
  'POST /api/auth/verify-email',
  'POST /api/auth/password-reset',
  'POST /api/auth/password-reset/confirm',
  'POST /api/auth/restore-account',
  'GET /api/invitations/:token',
  'GET /api/health',
  'GET /api/ready',
  'GET /api/docs',
  'GET /api/docs/init.js',
  'GET /api/docs/openapi.json',
  // The signed one-click link in report mails (the token is the credential; works once).
  'GET /api/email-reports/unsubscribe',
  'POST /api/email-reports/unsubscribe',
  'GET /api/plans',
  'POST /api/stripe/webhook',
  // Shared dashboards: the link's token (and its password cookie) is the credential.
  'GET /api/share/:token',
  'POST /api/share/:token/password',
  'POST /api/share/:token/query',
  'POST /api/share/:token/property-keys',
  'POST /api/share/:token/vitals',
  'GET /api/share/:token/funnels',
  'POST /api/share/:token/funnels/:id/query',
  'GET /api/share/:token/realtime',
];

interface Attack {
  path: string;
  body?: unknown;
}

interface OrgB {
  owner: { client: ApiClient; userId: string; orgId: string };
  member: { client: ApiClient; userId: string };
  site: SiteView;
  invitation: InvitationView;
  invitationToken: string;
  key: CreatedApiKey;
  sessionId: string;
  sharedLink: SharedLinkView;
  funnel: FunnelView;
}

interface UserA {
  client: ApiClient;
  userId: string;
  orgId: string;
  site: SiteView;
  key: CreatedApiKey;
  sharedLink: SharedLinkView;
}

const shareToken = (link: SharedLinkView) => new URL(link.url).pathname.split('/').pop() ?? '';
const FUNNEL_STEPS = [
  { kind: 'page', pattern: '/' },
  { kind: 'event', name: 'Signup' },
];

const uniqueDomain = (label: string) => `${label}-${randomBytes(4).toString('hex')}.example.com`;

/** Every parameterised route, called as A with B's identifiers (and, for two parameters, mixed with A's own org). */
function attacksOn(b: OrgB, a: UserA): Record<string, Attack[]> {
  const newEmail = `intruder-${randomBytes(4).toString('hex')}@example.test`;
  return {
    // The invitation token is a bearer secret (the public preview is the point of it); A only
    // knows identifiers, so the invitation's id must not work as a token.
    'GET /api/invitations/:token': [{ path: `/api/invitations/${b.invitation.id}` }],
    'DELETE /api/account/sessions/:id': [{ path: `/api/account/sessions/${b.sessionId}` }],
    'PATCH /api/orgs/:orgId': [{ path: `/api/orgs/${b.owner.orgId}`, body: { name: 'Taken over' } }],
    'GET /api/orgs/:orgId/members': [{ path: `/api/orgs/${b.owner.orgId}/members` }],
    'GET /api/orgs/:orgId/usage': [{ path: `/api/orgs/${b.owner.orgId}/usage` }],
    'GET /api/sites/:domain/email-reports': [{ path: `/api/sites/${b.site.domain}/email-reports` }],
    'PUT /api/sites/:domain/email-reports': [
      { path: `/api/sites/${b.site.domain}/email-reports`, body: { weekly: true, monthly: true } },
    ],
    'PATCH /api/orgs/:orgId/members/:userId': [
      { path: `/api/orgs/${b.owner.orgId}/members/${b.member.userId}`, body: { role: 'owner' } },
      { path: `/api/orgs/${b.owner.orgId}/members/${a.userId}`, body: { role: 'owner' } },
      { path: `/api/orgs/${a.orgId}/members/${b.member.userId}`, body: { role: 'viewer' } },
      { path: `/api/orgs/${a.orgId}/members/${b.owner.userId}`, body: { role: 'viewer' } },
    ],
    'DELETE /api/orgs/:orgId/members/:userId': [
      { path: `/api/orgs/${b.owner.orgId}/members/${b.member.userId}` },
      { path: `/api/orgs/${b.owner.orgId}/members/${b.owner.userId}` },
      { path: `/api/orgs/${a.orgId}/members/${b.member.userId}` },
    ],
    'GET /api/orgs/:orgId/invitations': [{ path: `/api/orgs/${b.owner.orgId}/invitations` }],
    'POST /api/orgs/:orgId/invitations': [
      { path: `/api/orgs/${b.owner.orgId}/invitations`, body: { email: newEmail, role: 'owner' } },
      { path: `/api/orgs/${b.owner.orgId}/invitations`, body: { email: newEmail, role: 'viewer' } },
    ],
    'DELETE /api/orgs/:orgId/invitations/:id': [
      { path: `/api/orgs/${b.owner.orgId}/invitations/${b.invitation.id}` },
      { path: `/api/orgs/${a.orgId}/invitations/${b.invitation.id}` },
    ],
    'GET /api/orgs/:orgId/api-keys': [{ path: `/api/orgs/${b.owner.orgId}/api-keys` }],
    'POST /api/orgs/:orgId/api-keys': [
      { path: `/api/orgs/${b.owner.orgId}/api-keys`, body: { name: 'mine now' } },
    ],
    'DELETE /api/orgs/:orgId/api-keys/:id': [
      { path: `/api/orgs/${b.owner.orgId}/api-keys/${b.key.id}` },
      { path: `/api/orgs/${a.orgId}/api-keys/${b.key.id}` },
    ],
    'GET /api/orgs/:orgId/sites': [{ path: `/api/orgs/${b.owner.orgId}/sites` }],
    'POST /api/orgs/:orgId/sites': [
      { path: `/api/orgs/${b.owner.orgId}/sites`, body: { domain: uniqueDomain('planted') } },
    ],
    'GET /api/sites/:domain': [
      { path: `/api/sites/${b.site.domain}` },
      { path: `/api/sites/WWW.${b.site.domain.toUpperCase()}` },
    ],
    'PATCH /api/sites/:domain': [
      {
        path: `/api/sites/${b.site.domain}`,
        body: { name: 'pwned', timezone: 'Asia/Tokyo', allowedHostnames: ['evil.example.com'] },
      },
    ],
    'DELETE /api/sites/:domain': [{ path: `/api/sites/${b.site.domain}` }],
    'GET /api/sites/:domain/imports': [{ path: `/api/sites/${b.site.domain}/imports` }],
    'POST /api/sites/:domain/imports': [
      { path: `/api/sites/${b.site.domain}/imports?source=umami&filename=planted.csv`, body: 'session_id,x' },
    ],
    'DELETE /api/sites/:domain/imports/:id': [{ path: `/api/sites/${b.site.domain}/imports/1` }],
    'GET /api/sites/:domain/status': [{ path: `/api/sites/${b.site.domain}/status` }],
    'GET /api/sites/:domain/realtime': [{ path: `/api/sites/${b.site.domain}/realtime` }],
    'GET /api/sites/:domain/funnels': [{ path: `/api/sites/${b.site.domain}/funnels` }],
    'POST /api/sites/:domain/funnels': [
      { path: `/api/sites/${b.site.domain}/funnels`, body: { name: 'Planted', steps: FUNNEL_STEPS } },
    ],
    'PUT /api/sites/:domain/funnels/:id': [
      {
        path: `/api/sites/${b.site.domain}/funnels/${b.funnel.id}`,
        body: { name: 'Mine', steps: FUNNEL_STEPS },
      },
      {
        path: `/api/sites/${a.site.domain}/funnels/${b.funnel.id}`,
        body: { name: 'Mine', steps: FUNNEL_STEPS },
      },
    ],
    'DELETE /api/sites/:domain/funnels/:id': [
      { path: `/api/sites/${b.site.domain}/funnels/${b.funnel.id}` },
      { path: `/api/sites/${a.site.domain}/funnels/${b.funnel.id}` },
    ],
    'POST /api/sites/:domain/funnels/:id/query': [
      { path: `/api/sites/${b.site.domain}/funnels/${b.funnel.id}/query`, body: { date_range: '7d' } },
      { path: `/api/sites/${a.site.domain}/funnels/${b.funnel.id}/query`, body: { date_range: '7d' } },
    ],
    'GET /api/orgs/:orgId/billing': [{ path: `/api/orgs/${b.owner.orgId}/billing` }],
    'POST /api/orgs/:orgId/billing/checkout': [
      { path: `/api/orgs/${b.owner.orgId}/billing/checkout`, body: { plan: 'basic', interval: 'monthly' } },
    ],
    'POST /api/orgs/:orgId/billing/portal': [{ path: `/api/orgs/${b.owner.orgId}/billing/portal` }],
    'POST /api/orgs/:orgId/billing/sync': [
      { path: `/api/orgs/${b.owner.orgId}/billing/sync`, body: { sessionId: 'cs_test_123' } },
    ],
    'GET /api/sites/:domain/shared-links': [{ path: `/api/sites/${b.site.domain}/shared-links` }],
    'POST /api/sites/:domain/shared-links': [
      { path: `/api/sites/${b.site.domain}/shared-links`, body: { label: 'planted' } },
    ],
    'DELETE /api/sites/:domain/shared-links/:id': [
      { path: `/api/sites/${b.site.domain}/shared-links/${b.sharedLink.id}` },
      { path: `/api/sites/${a.site.domain}/shared-links/${b.sharedLink.id}` },
    ],
    // A knows B's link id, not its token; and A's own link reads A's site only.
    'GET /api/share/:token': [{ path: `/api/share/${b.sharedLink.id}` }],
    'POST /api/share/:token/password': [
      { path: `/api/share/${b.sharedLink.id}/password`, body: { password: 'guess' } },
    ],
    'POST /api/share/:token/query': [
      {
        path: `/api/share/${shareToken(a.sharedLink)}/query`,
        body: { site_id: b.site.domain, metrics: ['visitors'], date_range: '7d' },
      },
      {
        path: `/api/share/${b.sharedLink.id}/query`,
        body: { site_id: b.site.domain, metrics: ['visitors'] },
      },
    ],
    'GET /api/share/:token/realtime': [{ path: `/api/share/${b.sharedLink.id}/realtime` }],
    // The panels' other share routes: A's link never reaches B's site or B's funnel.
    'POST /api/share/:token/property-keys': [
      {
        path: `/api/share/${shareToken(a.sharedLink)}/property-keys`,
        body: { site_id: b.site.domain, date_range: '7d' },
      },
      { path: `/api/share/${b.sharedLink.id}/property-keys`, body: { site_id: b.site.domain } },
    ],
    'POST /api/share/:token/vitals': [
      {
        path: `/api/share/${shareToken(a.sharedLink)}/vitals`,
        body: { site_id: b.site.domain, date_range: '7d' },
      },
      { path: `/api/share/${b.sharedLink.id}/vitals`, body: { site_id: b.site.domain } },
    ],
    'GET /api/share/:token/funnels': [{ path: `/api/share/${b.sharedLink.id}/funnels` }],
    'POST /api/share/:token/funnels/:id/query': [
      {
        path: `/api/share/${shareToken(a.sharedLink)}/funnels/${b.funnel.id}/query`,
        body: { date_range: '7d' },
      },
      { path: `/api/share/${b.sharedLink.id}/funnels/${b.funnel.id}/query`, body: { date_range: '7d' } },
    ],
  };
}

describe('tenant isolation', () => {
  const api = new ApiHarness();
  let b: OrgB;
  let a: UserA;

  async function snapshotOfB() {
    const c = b.owner.client;
    const org = `/api/orgs/${b.owner.orgId}`;
    return {
      members: (await c.get<MemberView[]>(`${org}/members`)).body,
      invitations: (await c.get<InvitationView[]>(`${org}/invitations`)).body,
      keys: (await c.get<ApiKeyView[]>(`${org}/api-keys`)).body.map(({ lastUsedAt: _, ...k }) => k),
      sites: (await c.get<SiteView[]>(`${org}/sites`)).body,
      sessions: (await c.get<SessionView[]>('/api/account/sessions')).body.map((s) => s.id),
      funnels: (await c.get<FunnelView[]>(`/api/sites/${b.site.domain}/funnels`)).body,
    };
  }

  beforeAll(async () => {
    await api.start();
    const owner = await api.signedUpUserOn('premium', 'tenant-b'); // every feature, so only access rules answer
    const org = `/api/orgs/${owner.orgId}`;
    const site = await owner.client.post<SiteView>(`${org}/sites`, { domain: uniqueDomain('tenant-b') });
    const key = await owner.client.post<CreatedApiKey>(`${org}/api-keys`, { name: 'B key' });
    const memberEmail = api.uniqueEmail('tenant-b-member');
    await owner.client.post(`${org}/invitations`, { email: memberEmail, role: 'viewer' });
    const member = api.client();
    const joined = await member.post<MeResponse>('/api/auth/signup', {
      email: memberEmail,
      password: 'member password 1',
      invitationToken: MailCatcher.tokenFrom(await api.mail.waitFor(memberEmail, /invited to/)),
    });
    const pendingEmail = api.uniqueEmail('tenant-b-pending');
    const invitation = await owner.client.post<InvitationView>(`${org}/invitations`, {
      email: pendingEmail,
      role: 'admin',
    });
    const sessions = await owner.client.get<SessionView[]>('/api/account/sessions');
    const sharedLink = await owner.client.post<SharedLinkView>(
      `/api/sites/${site.body.domain}/shared-links`,
      {},
    );
    const funnel = await owner.client.post<FunnelView>(`/api/sites/${site.body.domain}/funnels`, {
      name: 'B funnel',
      steps: FUNNEL_STEPS,
    });
    b = {
      owner: { client: owner.client, userId: owner.me.user.id, orgId: owner.orgId },
      member: { client: member, userId: joined.body.user.id },
      site: site.body,
      invitation: invitation.body,
      invitationToken: MailCatcher.tokenFrom(await api.mail.waitFor(pendingEmail, /invited to/)),
      key: key.body,
      sessionId: sessions.body[0]?.id ?? '',
      sharedLink: sharedLink.body,
      funnel: funnel.body,
    };
    expect([site.status, key.status, joined.status, invitation.status, funnel.status]).toEqual([
      201, 201, 201, 201, 201,
    ]);

    const userA = await api.signedUpUserOn('premium', 'tenant-a');
    const siteA = await userA.client.post<SiteView>(`/api/orgs/${userA.orgId}/sites`, {
      domain: uniqueDomain('tenant-a'),
    });
    const keyA = await userA.client.post<CreatedApiKey>(`/api/orgs/${userA.orgId}/api-keys`, {
      name: 'A key',
    });
    const sharedLinkA = await userA.client.post<SharedLinkView>(
      `/api/sites/${siteA.body.domain}/shared-links`,
      {},
    );
    a = {
      client: userA.client,
      userId: userA.me.user.id,
      orgId: userA.orgId,
      site: siteA.body,
      key: keyA.body,
      sharedLink: sharedLinkA.body,
    };
  });
  afterAll(() => api.stop());

  it('has an @Endpoint spec (summary, tag, access) on every route, and public only where intended', () => {
    expect(routes.length).toBeGreaterThan(25);
    expect(routes.filter((r) => !r.endpoint).map(routeKey)).toEqual([]);
    for (const r of routes) {
      expect(r.endpoint?.summary, routeKey(r)).toBeTruthy();
      expect(r.endpoint?.tag, routeKey(r)).toBeTruthy();
      expect(['public', 'session', 'session-or-api-key'], routeKey(r)).toContain(r.endpoint?.access);
    }
    const keys = routes.map(routeKey);
    expect(new Set(keys).size).toBe(keys.length); // no route registered twice
    expect(
      routes
        .filter((r) => r.endpoint?.access === 'public')
        .map(routeKey)
        .sort(),
    ).toEqual([...PUBLIC_ROUTES].sort());
  });

  it('answers 401 on every non-public route without a session', async () => {
    const attacks = attacksOn(b, a);
    const anonymous = api.client();
    const checked: string[] = [];
    for (const route of routes.filter((r) => r.endpoint?.access !== 'public')) {
      const attack = attacks[routeKey(route)]?.[0] ?? { path: route.path };
      const body = route.method === 'GET' ? undefined : (attack.body ?? {});
      const res = await anonymous.request(route.method, attack.path, body);
      expect(res.status, routeKey(route)).toBe(401);
      expect(res.body, routeKey(route)).toMatchObject({ error: { code: 'unauthenticated' } });
      checked.push(routeKey(route));
    }
    expect(checked.length).toBe(routes.length - PUBLIC_ROUTES.length);
    // A forged or stale cookie is no session either.
    anonymous.cookie = `sl_session=${randomBytes(32).toString('base64url')}`;
    expect((await anonymous.get('/api/orgs')).status).toBe(401);
  });

  it('refuses API keys on every session-only route, even for their own org', async () => {
    for (const route of routes.filter((r) => r.endpoint?.access === 'session')) {
      const path = route.path
        .replace(':orgId', a.orgId)
        .replace(':domain', a.site.domain)
        .replace(':userId', a.userId)
        .replace(':id', a.key.id);
      const res = await api.client().request(route.method, path, route.method === 'GET' ? undefined : {}, {
        authorization: `Bearer ${a.key.key}`,
      });
      expect(res.status, routeKey(route)).toBe(401);
    }
    expect((await a.client.get<ApiKeyView[]>(`/api/orgs/${a.orgId}/api-keys`)).body).toHaveLength(1);
  });

  it("walks every parameterised route as org A's owner with org B's identifiers: always 403 or 404", async () => {
    const attacks = attacksOn(b, a);
    const parameterised = routes.filter((r) => r.path.includes('/:')).map(routeKey);
    // A new route with a parameter must be added to `attacks`; a removed one must be removed.
    expect(Object.keys(attacks).sort()).toEqual([...parameterised].sort());

    const before = await snapshotOfB();
    const outcomes: string[] = [];
    for (const [key, list] of Object.entries(attacks)) {
      const method = key.split(' ')[0] ?? 'GET';
      expect(list.length, key).toBeGreaterThan(0);
      for (const attack of list) {
        const res = await a.client.request(method, attack.path, attack.body);
        outcomes.push(`${method} ${attack.path} → ${res.status}`);
        expect([403, 404], `${method} ${attack.path} answered ${res.status}`).toContain(res.status);
        expect(res.body).toMatchObject({ error: { code: expect.any(String) } });
      }
    }
    expect(outcomes.length).toBeGreaterThanOrEqual(parameterised.length);

    // Nothing of B changed, and A gained nothing.
    expect(await snapshotOfB()).toEqual(before);
    expect((await b.member.client.get<MeResponse>('/api/auth/me')).body.orgs).toEqual([
      expect.objectContaining({ orgId: b.owner.orgId, role: 'viewer' }),
    ]);
    expect((await a.client.get<OrgView[]>('/api/orgs')).body.map((o) => o.id)).toEqual([a.orgId]);
    const query = { site_id: b.site.domain, metrics: ['visitors'], date_range: '7d' };
    expect(
      (await api.client().post('/api/v2/query', query, { authorization: `Bearer ${b.key.key}` })).status,
    ).toBe(200);
    expect((await api.client().get(`/api/invitations/${b.invitationToken}`)).status).toBe(200);
  });

  it("refuses B's site to A's session and A's API key on the stats routes", async () => {
    const query = { site_id: b.site.domain, metrics: ['visitors'], date_range: '7d' };
    const asSession = await a.client.post('/api/v2/query', query);
    expect(asSession).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const withKey = { authorization: `Bearer ${a.key.key}` };
    expect((await api.client().post('/api/v2/query', query, withKey)).status).toBe(404);
    const keysOfB = { site_id: b.site.domain, date_range: '7d' };
    expect(await a.client.post('/api/v2/property-keys', keysOfB)).toMatchObject({ status: 404 });
    expect((await api.client().post('/api/v2/property-keys', keysOfB, withKey)).status).toBe(404);
    expect(
      (await api.client().post('/api/v2/property-keys', { ...keysOfB, site_id: a.site.domain }, withKey))
        .status,
    ).toBe(200);
    // Web vitals take the same site_id: B's site is as unknown to A there.
    const vitals = { site_id: b.site.domain, date_range: '7d' };
    expect(await a.client.post('/api/v2/vitals', vitals)).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
    expect((await api.client().post('/api/v2/vitals', vitals, withKey)).status).toBe(404);
    expect((await a.client.post('/api/v2/vitals', { ...vitals, site_id: a.site.domain })).status).toBe(200);
    expect(
      (await api.client().post('/api/v2/vitals', { ...vitals, site_id: a.site.domain }, withKey)).status,
    ).toBe(200);
    // Every route that takes API keys and a parameter, with A's key and B's identifiers.
    const attacks = attacksOn(b, a);
    const keyRoutes = routes.filter(
      (r) => r.endpoint?.access === 'session-or-api-key' && r.path.includes('/:'),
    );
    expect(keyRoutes.length).toBeGreaterThan(0);
    for (const route of keyRoutes) {
      for (const attack of attacks[routeKey(route)] ?? []) {
        const res = await api.client().request(route.method, attack.path, attack.body, withKey);
        expect(res.status, `${routeKey(route)} with A's key`).toBe(404);
      }
    }
    // The same requests work for A's own site, so the 404s above are about tenancy.
    expect((await a.client.post('/api/v2/query', { ...query, site_id: a.site.domain })).status).toBe(200);
    expect(
      (await api.client().post('/api/v2/query', { ...query, site_id: a.site.domain }, withKey)).status,
    ).toBe(200);
  });

  it("cannot accept B's invitation with A's account, even holding the token", async () => {
    const res = await a.client.post('/api/invitations/accept', { token: b.invitationToken });
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'invitation_email_mismatch' } } });
    expect((await a.client.get(`/api/orgs/${b.owner.orgId}/members`)).status).toBe(404);
    expect((await api.client().get(`/api/invitations/${b.invitationToken}`)).status).toBe(200);
  });
});
