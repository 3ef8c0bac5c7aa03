import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  MeResponse,
  MemberView,
  OrgRole,
  SiteView,
  TwoFactorEnabled,
  TwoFactorSetup,
} from '@sightline/api-contract';
import { EventsRepository } from '@sightline/clickhouse';
import { serializeEventRow, type EventRow } from '@sightline/events';
import { MailCatcher, TestContext, eventually } from '@sightline/testing';
import { AccountDeletionService } from '../src/account-deletion/account-deletion.service';
import { totpCode } from '../src/two-factor/totp';
import { ApiHarness, type ApiClient } from './api-harness';

let nextEventId = BigInt(Date.now()) * 1000n + 7n;

function pageview(siteId: number, visitor: number): EventRow {
  return {
    site_id: siteId,
    timestamp: new Date(Date.now() - 5 * 60_000).toISOString().slice(0, 19).replace('T', ' '),
    name: 'pageview',
    hostname: 'example.com',
    pathname: '/',
    referrer: '',
    referrer_source: '',
    utm_source: '',
    utm_medium: '',
    utm_campaign: '',
    utm_content: '',
    utm_term: '',
    country_code: 'DE',
    browser: 'Firefox',
    browser_version: '120',
    os: 'Linux',
    os_version: '',
    device: 'Desktop',
    visitor_id: BigInt(visitor),
    session_id: BigInt(visitor * 10),
    event_id: nextEventId++,
    props_keys: [],
    props_values: [],
    revenue_amount: 0,
    revenue_currency: '',
  };
}

describe('account deletion', () => {
  const api = new ApiHarness();
  const ctx = new TestContext();
  beforeAll(() => api.start());
  afterAll(async () => {
    await api.stop();
    await ctx.close();
  });

  async function joinedMember(inviter: ApiClient, orgId: string, role: OrgRole, label: string) {
    const email = api.uniqueEmail(label);
    expect((await inviter.post(`/api/orgs/${orgId}/invitations`, { email, role })).status).toBe(201);
    const token = MailCatcher.tokenFrom(await api.mail.waitFor(email, /invited to/));
    const client = api.client();
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const res = await client.post<MeResponse>('/api/auth/signup', {
      email,
      password,
      invitationToken: token,
    });
    expect(res.status).toBe(201);
    return { client, email, password, userId: res.body.user.id };
  }

  it('needs the password; then signs out everywhere, refuses sign-in and hides the user from orgs', async () => {
    const owner = await api.signedUpUser('team-owner');
    const member = await joinedMember(owner.client, owner.orgId, 'admin', 'leaver');
    const laptop = api.client();
    expect(
      (await laptop.post('/api/auth/login', { email: member.email, password: member.password })).status,
    ).toBe(200);
    const wrong = await member.client.post('/api/account/delete', { password: 'not my password' });
    expect(wrong).toMatchObject({ status: 403, body: { error: { code: 'wrong_password' } } });
    const res = await member.client.post<{ restorableUntil: string }>('/api/account/delete', {
      password: member.password,
    });
    expect(res.status).toBe(202);
    const until = new Date(res.body.restorableUntil).getTime();
    expect(Math.abs(until - (Date.now() + 72 * 3_600_000))).toBeLessThan(60_000);
    expect(member.client.cookie).toBeUndefined();
    expect((await laptop.get('/api/auth/me')).status).toBe(401);
    const login = await api
      .client()
      .post('/api/auth/login', { email: member.email, password: member.password });
    expect(login).toMatchObject({ status: 403, body: { error: { code: 'account_deleted' } } });
    const members = await owner.client.get<MemberView[]>(`/api/orgs/${owner.orgId}/members`);
    expect(members.body.map((m) => m.email)).not.toContain(member.email);
    const mail = await api.mail.waitFor(member.email, /scheduled for deletion/);
    expect(mail.text).toMatch(/72 hours/);
    expect(mail.text).toContain('/restore-account?token=');
  });

  it('restores the account with the mailed link and a sign-in within the window, once', async () => {
    const owner = await api.signedUpUser('team-owner2');
    const member = await joinedMember(owner.client, owner.orgId, 'viewer', 'regret');
    expect((await member.client.post('/api/account/delete', { password: member.password })).status).toBe(202);
    const token = MailCatcher.tokenFrom(await api.mail.waitFor(member.email, /scheduled for deletion/));
    const browser = api.client();
    const badPassword = await browser.post('/api/auth/restore-account', {
      token,
      email: member.email,
      password: 'wrong password',
    });
    expect(badPassword).toMatchObject({ status: 401, body: { error: { code: 'invalid_credentials' } } });
    const someoneElse = await api.signedUpUser('not-the-owner-of-the-link');
    const foreign = await api.client().post('/api/auth/restore-account', {
      token,
      email: someoneElse.email,
      password: someoneElse.password,
    });
    expect(foreign).toMatchObject({ status: 400, body: { error: { field: 'token' } } });
    // The foreign attempt used the token up: a fresh deletion request sends a new one.
    const again = await api
      .client()
      .post('/api/auth/login', { email: member.email, password: member.password });
    expect(again.status).toBe(403);
    const tokens = await ctx.pool.query(
      "UPDATE email_tokens SET used_at = NULL WHERE user_id = $1 AND purpose = 'restore_account'",
      [member.userId],
    );
    expect(tokens.rowCount).toBe(1);
    const ok = await browser.post<MeResponse>('/api/auth/restore-account', {
      token,
      email: member.email,
      password: member.password,
    });
    expect(ok.status).toBe(200);
    expect((await browser.get<MeResponse>('/api/auth/me')).body.user.email).toBe(member.email);
    const members = await owner.client.get<MemberView[]>(`/api/orgs/${owner.orgId}/members`);
    expect(members.body.map((m) => m.email)).toContain(member.email);
    const reuse = await api.client().post('/api/auth/restore-account', {
      token,
      email: member.email,
      password: member.password,
    });
    expect(reuse.status).toBe(400);
  });

  it('needs the second factor when two-factor sign-in is on', async () => {
    const user = await api.signedUpUser('del2fa');
    const setup = await user.client.post<TwoFactorSetup>('/api/account/2fa/setup');
    const confirm = await user.client.post<TwoFactorEnabled>('/api/account/2fa/confirm', {
      code: totpCode(setup.body.secret),
    });
    expect(confirm.status).toBe(200);
    const noOtp = await user.client.post('/api/account/delete', { password: user.password });
    expect(noOtp).toMatchObject({ status: 403, body: { error: { code: 'otp_required' } } });
    const withRecovery = await user.client.post('/api/account/delete', {
      password: user.password,
      otp: confirm.body.recoveryCodes[0],
    });
    expect(withRecovery.status).toBe(202);
  });

  it('after 72 hours leaves nothing of the user in Postgres or ClickHouse; shared orgs survive', async () => {
    const doomed = await api.signedUpUser('doomed');
    const ownSite = (
      await doomed.client.post<SiteView>(`/api/orgs/${doomed.orgId}/sites`, {
        domain: `doomed-${randomBytes(4).toString('hex')}.example.com`,
      })
    ).body;
    // A second org the user owns alone, and one they share with another owner.
    const other = await api.signedUpUser('survivor');
    const sharedSite = (
      await other.client.post<SiteView>(`/api/orgs/${other.orgId}/sites`, {
        domain: `shared-${randomBytes(4).toString('hex')}.example.com`,
      })
    ).body;
    const invite = await other.client.post(`/api/orgs/${other.orgId}/invitations`, {
      email: doomed.email,
      role: 'owner',
    });
    expect(invite.status).toBe(201);
    const token = MailCatcher.tokenFrom(await api.mail.waitFor(doomed.email, /invited to/));
    expect((await doomed.client.post('/api/invitations/accept', { token })).status).toBe(200);
    // In the shared org the doomed user created an API key and invited someone.
    expect(
      (await doomed.client.post(`/api/orgs/${other.orgId}/api-keys`, { name: 'doomed key' })).status,
    ).toBe(201);
    expect(
      (
        await doomed.client.post(`/api/orgs/${other.orgId}/invitations`, {
          email: api.uniqueEmail('invitee'),
          role: 'viewer',
        })
      ).status,
    ).toBe(201);
    // Someone invited the doomed address into a third org.
    const third = await api.signedUpUser('third');
    expect(
      (
        await third.client.post(`/api/orgs/${third.orgId}/invitations`, {
          email: doomed.email,
          role: 'viewer',
        })
      ).status,
    ).toBe(201);

    const events = new EventsRepository(ctx.clickhouse);
    await events.insertJsonLines([1, 2, 3].map((v) => serializeEventRow(pageview(ownSite.id, v))));
    await events.insertJsonLines([1, 2].map((v) => serializeEventRow(pageview(sharedSite.id, v))));
    expect(await ctx.countEvents(ownSite.id)).toBe(3);

    expect((await doomed.client.post('/api/account/delete', { password: doomed.password })).status).toBe(202);
    const deletions = api.service(AccountDeletionService);
    // Inside the window nothing is removed.
    await deletions.purgeDue();
    expect((await ctx.pool.query('SELECT 1 FROM users WHERE id = $1', [doomed.me.user.id])).rowCount).toBe(1);
    // The window is over.
    await ctx.pool.query("UPDATE users SET deleted_at = now() - interval '73 hours' WHERE id = $1", [
      doomed.me.user.id,
    ]);
    expect(await deletions.purgeDue()).toBeGreaterThanOrEqual(1);

    const leftovers = await rowsMentioning([doomed.me.user.id, doomed.email, doomed.orgId, ownSite.domain]);
    expect(leftovers).toEqual([]);
    expect(
      (await ctx.pool.query('SELECT 1 FROM site_purges WHERE site_id = $1', [ownSite.id])).rowCount,
    ).toBe(0);
    await eventually(async () => (await ctx.countEvents(ownSite.id)) === 0, {
      what: "the deleted org's site to have no events",
      timeoutMs: 30_000,
    });
    expect(await ctx.countEvents(sharedSite.id)).toBe(2);
    // The shared org, its other owner and its site are untouched.
    const members = await other.client.get<MemberView[]>(`/api/orgs/${other.orgId}/members`);
    expect(members.body.map((m) => m.email)).toEqual([other.email]);
    expect((await other.client.get(`/api/sites/${sharedSite.domain}`)).status).toBe(200);
    expect(
      (await api.client().post('/api/auth/login', { email: doomed.email, password: doomed.password })).status,
    ).toBe(401);
    // Running the job again is harmless.
    expect(await deletions.purgeDue()).toBe(0);
  });

  /** Every row of every table in the public schema whose text contains one of `needles`. */
  async function rowsMentioning(needles: string[]): Promise<string[]> {
    const tables = await ctx.pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    const found: string[] = [];
    for (const { table_name: table } of tables.rows) {
      if (table === 'typeorm_migrations') continue;
      for (const needle of needles) {
        const rows = await ctx.pool.query(
          `SELECT t::text AS row FROM "${table}" t WHERE t::text ILIKE '%' || $1 || '%'`,
          [needle],
        );
        for (const r of rows.rows as Array<{ row: string }>) found.push(`${table}: ${r.row}`);
      }
    }
    return found;
  }
});
