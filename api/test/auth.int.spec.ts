import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeResponse, SessionView } from '@sightline/api-contract';
import { MailCatcher } from '@sightline/testing';
import { ApiHarness, type ApiResponse } from './api-harness';

describe('accounts and sessions', () => {
  const api = new ApiHarness();
  beforeAll(() => api.start({ LOGIN_ATTEMPTS_PER_15_MIN: '3' }));
  afterAll(() => api.stop());

  it('signs up: creates the user and an owned org, sets an httpOnly SameSite=Lax session cookie', async () => {
    const client = api.client();
    const email = api.uniqueEmail('signup');
    const res = await client.post<MeResponse>('/api/auth/signup', {
      email: email.toUpperCase(),
      password: 'correct horse battery',
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email, emailVerified: false });
    expect(res.body.orgs).toEqual([expect.objectContaining({ role: 'owner' })]);
    const cookie = res.headers.getSetCookie().join('\n');
    expect(cookie).toMatch(/sl_session=[A-Za-z0-9_-]{40,}/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect((await client.get<MeResponse>('/api/auth/me')).body.user.email).toBe(email);
  });

  it('rejects bad sign-ups with the field named, and duplicate emails with 409', async () => {
    const client = api.client();
    const bad = await client.post('/api/auth/signup', {
      email: 'not-an-email',
      password: 'long enough password',
    });
    expect(bad).toMatchObject({ status: 400, body: { error: { field: 'email' } } });
    const short = await client.post('/api/auth/signup', { email: api.uniqueEmail(), password: 'short' });
    expect(short).toMatchObject({ status: 400, body: { error: { field: 'password' } } });
    const malformed = await client.post('/api/auth/signup', '{"email":', {
      'content-type': 'application/json',
    });
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'malformed_json' } } });
    const { email } = await api.signedUpUser('dup');
    const dup = await client.post('/api/auth/signup', { email, password: 'another long password' });
    expect(dup).toMatchObject({ status: 409, body: { error: { code: 'email_taken', field: 'email' } } });
  });

  it('verifies the email with the emailed link, once', async () => {
    const { client, email } = await api.signedUpUser('verify');
    const token = MailCatcher.tokenFrom(await api.mail.waitFor(email, /Confirm your email/));
    expect((await client.post('/api/auth/verify-email', { token })).status).toBe(200);
    expect((await client.get<MeResponse>('/api/auth/me')).body.user.emailVerified).toBe(true);
    expect((await client.post('/api/auth/verify-email', { token })).status).toBe(400);
  });

  it('logs in with a new rotated session, mails a sign-in notice, and logs out', async () => {
    const { email, password, client: first } = await api.signedUpUser('login');
    const browser = api.client();
    const wrong = await browser.post('/api/auth/login', { email, password: 'wrong password!' });
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'invalid_credentials' } } });
    const ok = await browser.post<MeResponse>('/api/auth/login', { email, password });
    expect(ok.status).toBe(200);
    const firstCookie = browser.cookie;
    const notice = await api.mail.waitFor(email, /New sign-in/);
    expect(notice.text).toMatch(/Time: /);
    // Logging in again from the same browser replaces its session.
    await browser.post('/api/auth/login', { email, password });
    expect(browser.cookie).not.toBe(firstCookie);
    const stale = api.client();
    stale.cookie = firstCookie;
    expect((await stale.get('/api/auth/me')).status).toBe(401);

    expect((await browser.post('/api/auth/logout')).status).toBe(204);
    expect((await browser.get('/api/auth/me')).status).toBe(401);
    expect((await first.get('/api/auth/me')).status).toBe(200); // other sessions live on
  });

  it('unknown emails and wrong passwords look the same; repeated failures get 429 with Retry-After', async () => {
    const { email } = await api.signedUpUser('brute');
    const client = api.client();
    const unknown = await client.post('/api/auth/login', {
      email: api.uniqueEmail('nobody'),
      password: 'whatever123',
    });
    expect(unknown).toMatchObject({ status: 401, body: { error: { code: 'invalid_credentials' } } });
    for (let i = 0; i < 3; i++)
      expect((await client.post('/api/auth/login', { email, password: `wrong-${i}-pass` })).status).toBe(401);
    const limited = await client.post('/api/auth/login', { email, password: 'wrong-again-pass' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('resets a forgotten password by emailed token and signs every session out', async () => {
    const { email, client } = await api.signedUpUser('reset');
    const anonymous = api.client();
    expect((await anonymous.post('/api/auth/password-reset', { email })).status).toBe(202);
    expect(
      (await anonymous.post('/api/auth/password-reset', { email: api.uniqueEmail('ghost') })).status,
    ).toBe(202);
    const token = MailCatcher.tokenFrom(await api.mail.waitFor(email, /Reset your Sightline password/));
    const weak = await anonymous.post('/api/auth/password-reset/confirm', { token, password: 'short' });
    expect(weak).toMatchObject({ status: 400, body: { error: { field: 'password' } } });
    expect(
      (await anonymous.post('/api/auth/password-reset/confirm', { token, password: 'brand new password' }))
        .status,
    ).toBe(200);
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect(
      (await anonymous.post('/api/auth/password-reset/confirm', { token, password: 'second new password' }))
        .status,
    ).toBe(400);
    expect(
      (await api.client().post('/api/auth/login', { email, password: 'brand new password' })).status,
    ).toBe(200);
  });

  it('changes the password (needs the current one; other sessions end, this one stays)', async () => {
    const { email, password, client } = await api.signedUpUser('chpw');
    const other = api.client();
    await other.post('/api/auth/login', { email, password });
    const wrong = await client.post('/api/account/password', {
      currentPassword: 'not it at all',
      newPassword: 'a different password',
    });
    expect(wrong.status).toBe(403);
    expect(
      (
        await client.post('/api/account/password', {
          currentPassword: password,
          newPassword: 'a different password',
        })
      ).status,
    ).toBe(204);
    expect((await client.get('/api/auth/me')).status).toBe(200);
    expect((await other.get('/api/auth/me')).status).toBe(401);
  });

  it('changes the email only after the link sent to the new address is opened', async () => {
    const { password, client } = await api.signedUpUser('chmail');
    const newEmail = api.uniqueEmail('newaddr');
    expect((await client.post('/api/account/email', { email: newEmail, password })).status).toBe(202);
    expect((await client.get<MeResponse>('/api/auth/me')).body.user.email).not.toBe(newEmail);
    const token = MailCatcher.tokenFrom(await api.mail.waitFor(newEmail, /new email address/));
    expect((await client.post('/api/auth/verify-email', { token })).status).toBe(200);
    expect((await client.get<MeResponse>('/api/auth/me')).body.user).toMatchObject({
      email: newEmail,
      emailVerified: true,
    });
  });

  it('lists sessions, revokes one, and logs out everywhere', async () => {
    const { email, password, client } = await api.signedUpUser('sessions');
    const laptop = api.client();
    await laptop.post(
      '/api/auth/login',
      { email, password },
      {
        'user-agent':
          'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      },
    );
    const sessions = (await client.get<SessionView[]>('/api/account/sessions')).body;
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const laptopSession = sessions.find((s) => !s.current);
    expect(laptopSession?.device).toBe('Chrome on Mac');
    expect((await client.delete(`/api/account/sessions/${laptopSession?.id}`)).status).toBe(204);
    expect((await laptop.get('/api/auth/me')).status).toBe(401);
    expect((await client.delete('/api/account/sessions/not-a-uuid')).status).toBe(404);

    await laptop.post('/api/auth/login', { email, password });
    expect((await client.post('/api/auth/logout-all')).status).toBe(204);
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect((await laptop.get('/api/auth/me')).status).toBe(401);
  });

  it('refuses cookie-authenticated writes from a foreign Origin (CSRF)', async () => {
    const { client } = await api.signedUpUser('csrf');
    const res = await client.post('/api/orgs', { name: 'Evil' }, { origin: 'https://evil.example' });
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'bad_origin' } } });
  });

  it('tells the sign-up page that sign-up is open', async () => {
    const res = await api.client().get('/api/auth/config');
    expect(res).toMatchObject({ status: 200, body: { inviteOnly: false } });
  });

  it('answers unknown routes with the error shape', async () => {
    const res = await api.client().get('/api/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('invite-only servers', () => {
  const api = new ApiHarness();
  beforeAll(() => api.start({ INVITE_ONLY: 'true' }));
  afterAll(() => api.stop());

  it('say so to the sign-up page, and refuse open sign-up', async () => {
    expect((await api.client().get('/api/auth/config')).body).toEqual({ inviteOnly: true });
    const res = await api
      .client()
      .post('/api/auth/signup', { email: api.uniqueEmail(), password: 'long enough password' });
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'invite_only' } } });
  });
});

describe('sign-up limit per address', () => {
  const api = new ApiHarness();
  // One trusted proxy hop, so each run's client gets its own address (and limiter key) from X-Forwarded-For.
  beforeAll(() => api.start({ SIGNUPS_PER_HOUR_PER_IP: '3', TRUSTED_PROXY_HOPS: '1' }));
  afterAll(() => api.stop());

  it('answers 429 with Retry-After once an address has signed up too often, and creates nothing', async () => {
    const headers = { 'x-forwarded-for': `198.51.100.${1 + Math.floor(Math.random() * 250)}` };
    const emails = [1, 2, 3, 4].map(() => api.uniqueEmail('limited'));
    const statuses: number[] = [];
    let last: ApiResponse | undefined;
    for (const email of emails) {
      last = await api
        .client()
        .post('/api/auth/signup', { email, password: 'long enough password' }, headers);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(last?.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect(last?.headers.get('retry-after')).toMatch(/^\d+$/);
    const login = await api
      .client()
      .post('/api/auth/login', { email: emails[3], password: 'long enough password' });
    expect(login.status).toBe(401);
  });
});

describe('request bodies', () => {
  const api = new ApiHarness();
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  it('answers oversized bodies with 413 and non-object bodies with 400', async () => {
    const client = api.client();
    const huge = await client.post('/api/auth/login', { email: 'a@b.co', password: 'x'.repeat(70_000) });
    expect(huge).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    const array = await client.post('/api/auth/login', [1, 2]);
    expect(array.status).toBe(400);
    const nullBody = await client.post('/api/auth/login', 'null', { 'content-type': 'application/json' });
    expect(nullBody.status).toBe(400);
  });
});
