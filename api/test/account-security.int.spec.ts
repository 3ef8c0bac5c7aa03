import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeResponse } from '@sightline/api-contract';
import { MailCatcher, eventually } from '@sightline/testing';
import { ApiHarness } from './api-harness';

describe('finding 7: no account enumeration through email answers', () => {
  const api = new ApiHarness();
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  it('change-email answers the same for a registered address as for a free one, and sends it nothing usable', async () => {
    const victim = await api.signedUpUser('victim');
    const { client, password } = await api.signedUpUser('prober');
    const taken = await client.post('/api/account/email', { email: victim.email, password });
    const free = await client.post('/api/account/email', { email: api.uniqueEmail('free'), password });
    expect(taken.status).toBe(free.status);
    expect(taken.body).toEqual(free.body);
    expect(taken.status).toBe(202);
    // The registered address gets no confirmation link to open.
    await new Promise((r) => setTimeout(r, 300));
    expect(
      api.mail.mails.filter((m) => m.to.includes(victim.email) && /new email address/.test(m.text)),
    ).toEqual([]);
  });

  it('password reset answers 202 for existing and unknown addresses alike, even past the mail budget', async () => {
    const { email } = await api.signedUpUser('reset-budget');
    const ghost = api.uniqueEmail('ghost');
    const existing: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 8; i++) {
      existing.push((await api.client().post('/api/auth/password-reset', { email })).status);
      unknown.push((await api.client().post('/api/auth/password-reset', { email: ghost })).status);
    }
    expect(existing).toEqual(unknown);
    expect(new Set(existing)).toEqual(new Set([202]));
    // The budget still caps what reaches the inbox.
    await eventually(
      async () => api.mail.mails.filter((m) => m.to.includes(email) && /reset/i.test(m.subject)).length >= 5,
      {
        what: 'five reset mails',
      },
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(api.mail.mails.filter((m) => m.to.includes(email) && /reset/i.test(m.subject))).toHaveLength(5);
  });

  it('the mail budget is per purpose: spent verification mails do not block a password reset', async () => {
    const { email, client } = await api.signedUpUser('per-purpose');
    // Sign-up sent one verification mail; four more spend that budget.
    for (let i = 0; i < 4; i++) expect((await client.post('/api/auth/resend-verification')).status).toBe(202);
    expect((await client.post('/api/auth/resend-verification')).status).toBe(429);
    expect((await api.client().post('/api/auth/password-reset', { email })).status).toBe(202);
    await api.mail.waitFor(email, /reset/i);
  });
});

describe('finding 10: tokens end when the password or email changes', () => {
  const api = new ApiHarness();
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  it('a password change voids pending reset and email-change links', async () => {
    const { email, password, client } = await api.signedUpUser('pw-tokens');
    expect((await api.client().post('/api/auth/password-reset', { email })).status).toBe(202);
    const resetToken = MailCatcher.tokenFrom(await api.mail.waitFor(email, /reset/i));
    const newEmail = api.uniqueEmail('pending-new');
    expect((await client.post('/api/account/email', { email: newEmail, password })).status).toBe(202);
    const changeToken = MailCatcher.tokenFrom(await api.mail.waitFor(newEmail, /new email address/));

    const changed = await client.post('/api/account/password', {
      currentPassword: password,
      newPassword: 'completely new password',
    });
    expect(changed.status).toBe(204);
    const reset = await api
      .client()
      .post('/api/auth/password-reset/confirm', { token: resetToken, password: 'attacker password 1' });
    expect(reset.status).toBe(400);
    expect((await client.post('/api/auth/verify-email', { token: changeToken })).status).toBe(400);
    expect((await client.get<MeResponse>('/api/auth/me')).body.user.email).toBe(email);
  });

  it('an email change ends the other sessions and voids pending reset links', async () => {
    const { email, password, client } = await api.signedUpUser('email-tokens');
    const other = api.client();
    expect((await other.post('/api/auth/login', { email, password })).status).toBe(200);
    expect((await api.client().post('/api/auth/password-reset', { email })).status).toBe(202);
    const resetToken = MailCatcher.tokenFrom(await api.mail.waitFor(email, /reset/i));
    const newEmail = api.uniqueEmail('moved');
    expect((await client.post('/api/account/email', { email: newEmail, password })).status).toBe(202);
    const changeToken = MailCatcher.tokenFrom(await api.mail.waitFor(newEmail, /new email address/));
    expect((await client.post('/api/auth/verify-email', { token: changeToken })).status).toBe(200);

    expect((await client.get<MeResponse>('/api/auth/me')).body.user.email).toBe(newEmail);
    expect((await other.get('/api/auth/me')).status).toBe(401);
    const reset = await api
      .client()
      .post('/api/auth/password-reset/confirm', { token: resetToken, password: 'attacker password 1' });
    expect(reset.status).toBe(400);
  });
});
