import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import type {
  AdminAuditEntry,
  AdminOrgDetail,
  AdminSearchResult,
  AdminUserDetail,
  AnnouncementView,
  SiteView,
  TwoFactorSetup,
} from '@sightline/api-contract';
import { ADMIN_CONTROLLERS } from '../src/app.module';
import { StaffFlagRepository } from '../src/admin/staff-flag.repository';
import { routeTable } from '../src/openapi/route-table';
import { totpCode } from '../src/two-factor/totp';
import { ApiHarness, type ApiClient, type ApiResponse } from './api-harness';

describe('support admin panel API', () => {
  const api = new ApiHarness();
  const { ctx } = api;
  let staff: { client: ApiClient; email: string; userId: string };
  let staffFlags: StaffFlagRepository;

  async function enrol2fa(client: ApiClient): Promise<string> {
    const setup = await client.post<TwoFactorSetup>('/api/account/2fa/setup');
    expect(
      (await client.post('/api/account/2fa/confirm', { code: totpCode(setup.body.secret) })).status,
    ).toBe(200);
    return setup.body.secret;
  }

  beforeAll(async () => {
    await api.start();
    staffFlags = new StaffFlagRepository(api.service(DataSource));
    const user = await api.signedUpUser('staff');
    await enrol2fa(user.client);
    expect(await staffFlags.set(user.email, true)).toBe(true);
    staff = { client: user.client, email: user.email, userId: user.me.user.id };
  });
  afterAll(() => api.stop());

  const adminRoutes = routeTable(ADMIN_CONTROLLERS);
  const zeroUuid = '00000000-0000-4000-8000-000000000000';
  const pathOf = (path: string) =>
    path.replace(':id', zeroUuid) + (path.endsWith('/search') ? '?q=demo' : '');
  const bodyOf = (method: string) => (method === 'GET' ? undefined : { reason: 'probing', message: 'x' });

  /** The 404 an unknown route gets, with its path swapped in, to compare admin answers against. */
  async function unknownRoute404(client: ApiClient, method: string, path: string): Promise<ApiResponse> {
    const res = await client.request(
      method,
      `/api/admin-nope${path.slice('/api/admin'.length)}`,
      bodyOf(method),
    );
    const body = JSON.parse(JSON.stringify(res.body).replaceAll('/api/admin-nope', '/api/admin')) as unknown;
    return { ...res, body };
  }

  it('answers 404, exactly like an unknown route, to anonymous, normal users and staff without 2FA', async () => {
    expect(adminRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [
        'GET /api/admin/search',
        'GET /api/admin/orgs/:id',
        'POST /api/admin/orgs/:id/extend-grace',
        'POST /api/admin/orgs/:id/unlock-stats',
        'POST /api/admin/orgs/:id/allow-plan-change',
        'GET /api/admin/users/:id',
        'POST /api/admin/users/:id/block',
        'POST /api/admin/users/:id/unblock',
        'POST /api/admin/users/:id/approve-deletion',
        'GET /api/admin/announcements',
        'POST /api/admin/announcements',
        'GET /api/admin/audit-log',
      ].sort(),
    );
    for (const r of adminRoutes) expect(r.endpoint?.access, r.path).toBe('staff');
    const normal = await api.signedUpUser('normal');
    const normalWith2fa = await api.signedUpUser('normal2fa');
    await enrol2fa(normalWith2fa.client);
    const staffNo2fa = await api.signedUpUser('staff-no-2fa');
    await staffFlags.set(staffNo2fa.email, true);
    const callers: Record<string, ApiClient> = {
      anonymous: api.client(),
      normal: normal.client,
      'normal with 2FA': normalWith2fa.client,
      'staff without 2FA': staffNo2fa.client,
    };
    for (const [who, client] of Object.entries(callers)) {
      for (const route of adminRoutes) {
        const path = pathOf(route.path);
        const res = await client.request(route.method, path, bodyOf(route.method));
        const label = `${who}: ${route.method} ${path}`;
        expect(res.status, label).toBe(404);
        expect(res.body, label).toEqual((await unknownRoute404(client, route.method, path)).body);
      }
    }
    // Nothing they did was recorded or took effect.
    expect((await staff.client.get<AnnouncementView[]>('/api/admin/announcements')).body).toEqual([]);
  });

  it('finds orgs and users by email, name and site domain, and shows an org and a user', async () => {
    const owner = await api.signedUpUser('acme-owner');
    const domain = `acme-${randomBytes(4).toString('hex')}.example.com`;
    expect((await owner.client.post<SiteView>(`/api/orgs/${owner.orgId}/sites`, { domain })).status).toBe(
      201,
    );
    for (const q of [owner.email, domain, 'acme-owner', domain.toUpperCase()]) {
      const res = await staff.client.get<AdminSearchResult>(`/api/admin/search?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
      expect(
        res.body.orgs.map((o) => o.id),
        q,
      ).toContain(owner.orgId);
      expect(
        res.body.users.map((u) => u.email),
        q,
      ).toContain(owner.email);
    }
    // LIKE wildcards are literal.
    expect((await staff.client.get<AdminSearchResult>('/api/admin/search?q=%25%25%25')).body).toEqual({
      users: [],
      orgs: [],
    });
    expect((await staff.client.get('/api/admin/search?q=a')).status).toBe(400);
    expect((await staff.client.get('/api/admin/search')).status).toBe(400);

    const org = await staff.client.get<AdminOrgDetail>(`/api/admin/orgs/${owner.orgId}`);
    expect(org.status).toBe(200);
    expect(org.body.siteList.map((s) => s.domain)).toEqual([domain]);
    expect(org.body.memberList).toEqual([
      expect.objectContaining({ email: owner.email, role: 'owner', lastSignInAt: expect.any(String) }),
    ]);
    expect(org.body.billing).toMatchObject({ plan: { code: 'free' }, quota: { state: 'ok' } });
    const user = await staff.client.get<AdminUserDetail>(`/api/admin/users/${owner.me.user.id}`);
    expect(user.body).toMatchObject({
      email: owner.email,
      blocked: false,
      orgs: [{ orgId: owner.orgId, role: 'owner' }],
    });
    expect(user.body.signIns.length).toBeGreaterThan(0);
    expect((await staff.client.get(`/api/admin/orgs/${zeroUuid}`)).status).toBe(404);
    expect((await staff.client.get('/api/admin/users/not-a-uuid')).status).toBe(404);
  });

  it('blocks a user (sessions end, sign-in refused with a clear message) and unblocks them', async () => {
    const target = await api.signedUpUser('troublemaker');
    const noReason = await staff.client.post(`/api/admin/users/${target.me.user.id}/block`, {});
    expect(noReason).toMatchObject({ status: 400, body: { error: { field: 'reason' } } });
    const blocked = await staff.client.post<AdminUserDetail>(`/api/admin/users/${target.me.user.id}/block`, {
      reason: 'payment fraud report #123',
    });
    expect(blocked.body).toMatchObject({ blocked: true, blockedReason: 'payment fraud report #123' });
    expect((await target.client.get('/api/auth/me')).status).toBe(401);
    const login = await api
      .client()
      .post('/api/auth/login', { email: target.email, password: target.password });
    expect(login).toMatchObject({ status: 403, body: { error: { code: 'account_blocked' } } });
    expect(JSON.stringify(login.body)).toMatch(/blocked by Sightline support/);
    // The org and its data stay.
    expect((await staff.client.get<AdminOrgDetail>(`/api/admin/orgs/${target.orgId}`)).status).toBe(200);
    await staff.client.post(`/api/admin/users/${target.me.user.id}/unblock`, {
      reason: 'cleared by billing',
    });
    expect(
      (await api.client().post('/api/auth/login', { email: target.email, password: target.password })).status,
    ).toBe(200);
    expect(
      (await staff.client.post(`/api/admin/users/${staff.userId}/block`, { reason: 'oops me' })).status,
    ).toBe(409);
  });

  it('posts announcements to everyone or one org until they expire, optionally by mail', async () => {
    const a = await api.signedUpUser('ann-a');
    const b = await api.signedUpUser('ann-b');
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const global = await staff.client.post<AnnouncementView>('/api/admin/announcements', {
      message: 'Maintenance on Sunday 02:00 UTC',
      expiresAt: inAnHour,
    });
    expect(global.status).toBe(201);
    const forA = await staff.client.post<AnnouncementView>('/api/admin/announcements', {
      message: 'Your import finished',
      orgId: a.orgId,
      expiresAt: inAnHour,
      mail: true,
      reason: 'ticket 42',
    });
    expect(forA.body).toMatchObject({ orgId: a.orgId, mailedAt: expect.any(String) });
    const mail = await api.mail.waitFor(a.email, /A message from Sightline/);
    expect(mail.text).toContain('Your import finished');
    const seenByA = (await a.client.get<AnnouncementView[]>('/api/announcements')).body.map((x) => x.message);
    const seenByB = (await b.client.get<AnnouncementView[]>('/api/announcements')).body.map((x) => x.message);
    expect(seenByA).toEqual(
      expect.arrayContaining(['Maintenance on Sunday 02:00 UTC', 'Your import finished']),
    );
    expect(seenByB).toContain('Maintenance on Sunday 02:00 UTC');
    expect(seenByB).not.toContain('Your import finished');
    expect(api.mail.mails.some((m) => m.to.includes(b.email) && /A message/.test(m.subject))).toBe(false);
    const past = await staff.client.post('/api/admin/announcements', {
      message: 'too late',
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    expect(past).toMatchObject({ status: 400, body: { error: { field: 'expiresAt' } } });
    await ctx.pool.query("UPDATE announcements SET expires_at = now() - interval '1 second' WHERE id = $1", [
      global.body.id,
    ]);
    expect(
      (await b.client.get<AnnouncementView[]>('/api/announcements')).body.map((x) => x.id),
    ).not.toContain(global.body.id);
  });

  it('approves a requested deletion early (next job run), and refuses it for accounts that did not ask', async () => {
    const leaving = await api.signedUpUser('leaving');
    const staying = await api.signedUpUser('staying');
    const refused = await staff.client.post(`/api/admin/users/${staying.me.user.id}/approve-deletion`, {
      reason: 'asked by phone',
    });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'deletion_not_requested' } } });
    expect((await leaving.client.post('/api/account/delete', { password: leaving.password })).status).toBe(
      202,
    );
    const approved = await staff.client.post<{ deletedBy: string }>(
      `/api/admin/users/${leaving.me.user.id}/approve-deletion`,
      { reason: 'user asked for immediate deletion (ticket 77)' },
    );
    expect(approved).toMatchObject({
      status: 200,
      body: { deletedBy: expect.stringMatching(/account-deletion job/) },
    });
    // Due for the account-deletion job's next run instead of in 72 hours.
    const due = await ctx.pool.query<{ due: boolean }>(
      "SELECT deleted_at <= now() - interval '72 hours' AS due FROM users WHERE id = $1",
      [leaving.me.user.id],
    );
    expect(due.rows).toEqual([{ due: true }]);
  });

  it('extends a grace period, unlocks locked stats and waives the plan check once, each audited', async () => {
    const owner = await api.signedUpUser('quota-owner');
    const org = (path = '') => `/api/admin/orgs/${owner.orgId}${path}`;
    // Within quota: nothing to extend or unlock, and a reason and sane days are required.
    expect((await staff.client.post(org('/extend-grace'), { reason: 'goodwill', days: 3 })).status).toBe(409);
    expect((await staff.client.post(org('/unlock-stats'), { reason: 'goodwill', days: 3 })).status).toBe(409);
    expect((await staff.client.post(org('/extend-grace'), { reason: 'goodwill', days: 0 })).status).toBe(400);
    expect((await staff.client.post(org('/unlock-stats'), { days: 3 })).status).toBe(400);

    const graceEnds = new Date(Date.now() + 2 * 86_400_000);
    await ctx.pool.query(
      `INSERT INTO quota_states (org_id, state, reason, grace_started_at, grace_ends_at)
       VALUES ($1, 'grace', 'over quota', now() - interval '5 days', $2)`,
      [owner.orgId, graceEnds],
    );
    const extended = await staff.client.post<AdminOrgDetail>(org('/extend-grace'), {
      reason: 'customer is upgrading',
      days: 3,
    });
    expect(extended.status).toBe(200);
    expect(new Date(extended.body.billing.quota.graceEndsAt ?? 0).getTime()).toBe(
      graceEnds.getTime() + 3 * 86_400_000,
    );

    await ctx.pool.query(
      "UPDATE quota_states SET state = 'locked', locked_at = now(), grace_ends_at = now() WHERE org_id = $1",
      [owner.orgId],
    );
    const unlocked = await staff.client.post<AdminOrgDetail>(org('/unlock-stats'), {
      reason: 'billing dispute in progress',
      days: 5,
    });
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.billing.quota.state).toBe('grace');
    const owners = await owner.client.get<{ quota: { state: string } }>(`/api/orgs/${owner.orgId}/billing`);
    expect(owners.body.quota.state).toBe('grace');

    expect((await staff.client.post(org('/allow-plan-change'), { reason: 'approved by sales' })).status).toBe(
      200,
    );
    const flag = await ctx.pool.query('SELECT plan_check_override FROM billing_profiles WHERE org_id = $1', [
      owner.orgId,
    ]);
    expect(flag.rows[0]).toEqual({ plan_check_override: true });

    const log = await staff.client.get<AdminAuditEntry[]>(`/api/admin/audit-log?target=${owner.orgId}`);
    expect(log.body.map((e) => e.action)).toEqual([
      'org.plan_check_waived',
      'org.stats_unlocked',
      'org.grace_extended',
    ]);
    expect(log.body[1]).toMatchObject({ reason: 'billing dispute in progress', details: { days: 5 } });
  });

  it('writes every action to an append-only audit log that the panel shows', async () => {
    const log = await staff.client.get<AdminAuditEntry[]>('/api/admin/audit-log');
    expect(log.status).toBe(200);
    const actions = log.body.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['user.block', 'user.unblock', 'announcement.create', 'user.deletion_approved']),
    );
    const block = log.body.find((e) => e.action === 'user.block');
    expect(block).toMatchObject({
      actorEmail: staff.email,
      targetType: 'user',
      reason: 'payment fraud report #123',
    });
    expect(new Date(block?.createdAt ?? '').getTime()).toBeGreaterThan(Date.now() - 600_000);
    // Refused reads of non-staff left no trace, and the newest entry comes first.
    expect(Number(log.body[0]?.id)).toBeGreaterThan(Number(log.body.at(-1)?.id));
    await expect(ctx.pool.query("UPDATE admin_audit_log SET reason = 'edited'")).rejects.toThrow(
      /append-only/,
    );
    await expect(ctx.pool.query('DELETE FROM admin_audit_log')).rejects.toThrow(/append-only/);
    await expect(ctx.pool.query('TRUNCATE admin_audit_log')).rejects.toThrow(/append-only/);
    const filtered = await staff.client.get<AdminAuditEntry[]>(
      `/api/admin/audit-log?target=${block?.targetId ?? ''}`,
    );
    expect(new Set(filtered.body.map((e) => e.targetId))).toEqual(new Set([block?.targetId]));
    expect((await staff.client.get('/api/admin/audit-log?before=drop')).status).toBe(400);
  });

  it('stops answering staff whose flag is removed', async () => {
    const other = await api.signedUpUser('ex-staff');
    await enrol2fa(other.client);
    await staffFlags.set(other.email, true);
    expect((await other.client.get('/api/admin/audit-log')).status).toBe(200);
    await staffFlags.set(other.email, false);
    expect((await other.client.get('/api/admin/audit-log')).status).toBe(404);
  });
});
