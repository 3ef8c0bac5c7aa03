import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeResponse, TwoFactorEnabled, TwoFactorSetup, TwoFactorStatus } from '@sightline/api-contract';
import { totpCode } from '../src/two-factor/totp';
import { ApiHarness, type ApiClient } from './api-harness';

describe('two-factor sign-in (TOTP)', () => {
  const api = new ApiHarness();
  beforeAll(() => api.start({ LOGIN_ATTEMPTS_PER_15_MIN: '4' }));
  afterAll(() => api.stop());

  /** A signed-up user with 2FA on; `secret` makes codes, the confirm used the current step. */
  async function enrolledUser(label: string) {
    const user = await api.signedUpUser(label);
    const setup = await user.client.post<TwoFactorSetup>('/api/account/2fa/setup');
    expect(setup.status).toBe(200);
    const confirmCode = totpCode(setup.body.secret);
    const confirm = await user.client.post<TwoFactorEnabled>('/api/account/2fa/confirm', {
      code: confirmCode,
    });
    expect(confirm.status).toBe(200);
    return { ...user, secret: setup.body.secret, confirmCode, recoveryCodes: confirm.body.recoveryCodes };
  }

  const nextStepCode = (secret: string) => totpCode(secret, Date.now() + 30_000);

  it('enrols with a QR code and a confirming code, and hands out 10 recovery codes once', async () => {
    const { client } = await api.signedUpUser('enrol');
    expect((await client.get<TwoFactorStatus>('/api/account/2fa')).body).toMatchObject({ enabled: false });
    const setup = await client.post<TwoFactorSetup>('/api/account/2fa/setup');
    expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\/Sightline:.+\?.*secret=/);
    expect(setup.body.uri).toContain('period=30');
    expect(setup.body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    // Not on until confirmed: sign-in still needs no code.
    expect((await client.get<MeResponse>('/api/auth/me')).body.user.twoFactorEnabled).toBe(false);
    const wrong = await client.post('/api/account/2fa/confirm', { code: '000000' });
    expect(wrong).toMatchObject({ status: 400, body: { error: { code: 'invalid_otp', field: 'code' } } });
    const malformed = await client.post('/api/account/2fa/confirm', { code: '12ab' });
    expect(malformed).toMatchObject({ status: 400, body: { error: { field: 'code' } } });
    const ok = await client.post<TwoFactorEnabled>('/api/account/2fa/confirm', {
      code: totpCode(setup.body.secret),
    });
    expect(ok.status).toBe(200);
    expect(ok.body.recoveryCodes).toHaveLength(10);
    expect((await client.get<TwoFactorStatus>('/api/account/2fa')).body).toMatchObject({
      enabled: true,
      recoveryCodesLeft: 10,
    });
    expect((await client.get<MeResponse>('/api/auth/me')).body.user.twoFactorEnabled).toBe(true);
    expect((await client.post('/api/account/2fa/setup')).status).toBe(409);
  });

  it('asks for the code (otp_required), refuses a wrong one, signs in with a right one once', async () => {
    const { email, password, secret, confirmCode } = await enrolledUser('login2fa');
    const browser = api.client();
    const noOtp = await browser.post('/api/auth/login', { email, password });
    expect(noOtp).toMatchObject({ status: 401, body: { error: { code: 'otp_required' } } });
    expect(browser.cookie).toBeUndefined();
    const wrong = await browser.post('/api/auth/login', { email, password, otp: '123456' });
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'invalid_otp' } } });
    // The code of the step used to confirm the enrolment was used already: a replay.
    const replayOfConfirm = await browser.post('/api/auth/login', { email, password, otp: confirmCode });
    expect(replayOfConfirm).toMatchObject({ status: 401, body: { error: { code: 'invalid_otp' } } });
    const code = nextStepCode(secret);
    const ok = await browser.post<MeResponse>('/api/auth/login', { email, password, otp: code });
    expect(ok.status).toBe(200);
    expect(browser.cookie).toBeDefined();
    const notice = await api.mail.waitFor(email, /New sign-in/);
    expect(notice.text).toMatch(/Two-factor: used \(authenticator app code\)/);
    const replay = await api.client().post('/api/auth/login', { email, password, otp: code });
    expect(replay).toMatchObject({ status: 401, body: { error: { code: 'invalid_otp' } } });
  });

  it('says in the sign-in mail when no second factor was used', async () => {
    const { email, password } = await api.signedUpUser('no2fa');
    expect((await api.client().post('/api/auth/login', { email, password })).status).toBe(200);
    expect((await api.mail.waitFor(email, /New sign-in/)).text).toMatch(/Two-factor: not used/);
  });

  it('signs in with a recovery code exactly once', async () => {
    const { email, password, recoveryCodes, client } = await enrolledUser('recovery');
    const code = recoveryCodes[3] ?? '';
    const ok = await api.client().post('/api/auth/login', { email, password, otp: code.toUpperCase() });
    expect(ok.status).toBe(200);
    expect((await api.mail.waitFor(email, /New sign-in/)).text).toMatch(/recovery code/);
    const again = await api.client().post('/api/auth/login', { email, password, otp: code });
    expect(again).toMatchObject({ status: 401, body: { error: { code: 'invalid_otp' } } });
    expect((await client.get<TwoFactorStatus>('/api/account/2fa')).body.recoveryCodesLeft).toBe(9);
  });

  it('counts failed codes against the sign-in limit', async () => {
    const { email, password, secret } = await enrolledUser('otp-brute');
    const attacker = api.client();
    for (let i = 0; i < 4; i++) {
      const res = await attacker.post('/api/auth/login', { email, password, otp: String(100000 + i) });
      expect(res.body).toMatchObject({ error: { code: 'invalid_otp' } });
    }
    const limited = await attacker.post('/api/auth/login', { email, password, otp: nextStepCode(secret) });
    expect(limited).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
  });

  it('turns off only with the password and a current code', async () => {
    const { email, password, secret, client } = await enrolledUser('disable');
    const code = nextStepCode(secret);
    const badPassword = await client.post('/api/account/2fa/disable', { password: 'not the password', code });
    expect(badPassword).toMatchObject({ status: 403, body: { error: { code: 'wrong_password' } } });
    const badCode = await client.post('/api/account/2fa/disable', { password, code: '000000' });
    expect(badCode).toMatchObject({ status: 403, body: { error: { code: 'invalid_otp' } } });
    expect((await client.post('/api/account/2fa/disable', { password, code })).status).toBe(204);
    expect((await client.get<TwoFactorStatus>('/api/account/2fa')).body.enabled).toBe(false);
    expect((await api.client().post('/api/auth/login', { email, password })).status).toBe(200);
  });

  it('needs a session for every 2FA route', async () => {
    const anonymous: ApiClient = api.client();
    expect((await anonymous.get('/api/account/2fa')).status).toBe(401);
    expect((await anonymous.post('/api/account/2fa/setup')).status).toBe(401);
    expect((await anonymous.post('/api/account/2fa/confirm', { code: '123456' })).status).toBe(401);
    expect((await anonymous.post('/api/account/2fa/disable', { password: 'x', code: '123456' })).status).toBe(
      401,
    );
  });
});
