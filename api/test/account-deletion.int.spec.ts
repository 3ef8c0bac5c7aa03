import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeResponse, MemberView, TwoFactorEnabled, TwoFactorSetup } from '@sightline/api-contract';
import { MailCatcher } from '@sightline/testing';
import { AccountDeletionService } from '../src/account-deletion/account-deletion.service';
import { totpCode } from '../src/two-factor/totp';
import { ApiHarness } from './api-harness';

describe('account deletion', () => {
  const api = new ApiHarness();
  const { ctx } = api;
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  it('needs the password; then signs out everywhere, refuses sign-in and hides the user from orgs', async () => {
    const owner = await api.signedUpUser('team-owner');
    const member = await api.joinedMember(owner.client, owner.orgId, 'admin', 'leaver');
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
    const member = await api.joinedMember(owner.client, owner.orgId, 'viewer', 'regret');
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

  it('lets support hand a requested deletion to the next run of the account-deletion job', async () => {
    const user = await api.signedUpUser('early');
    expect((await user.client.post('/api/account/delete', { password: user.password })).status).toBe(202);
    const deletions = api.service(AccountDeletionService);
    await deletions.approveEarly(user.me.user.id);
    const row = await ctx.pool.query<{ due: boolean }>(
      "SELECT deleted_at <= now() - interval '72 hours' AS due FROM users WHERE id = $1",
      [user.me.user.id],
    );
    expect(row.rows).toEqual([{ due: true }]);
    // The hard delete itself is workers/test/account-deletion.int.spec.ts.
  });
});
