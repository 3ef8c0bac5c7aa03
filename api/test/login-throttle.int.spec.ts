import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiHarness, type ApiResponse } from './api-harness';

/**
 * Security finding 1: the sign-in limiter was read before argon2 ran and charged after it, so
 * parallel guesses all passed the check. Each test sends from its own address (X-Forwarded-For
 * through one trusted hop), so the counters are the test's own.
 */
describe('sign-in throttle', () => {
  const api = new ApiHarness();
  beforeAll(() =>
    api.start({
      TRUSTED_PROXY_HOPS: '1',
      LOGIN_ATTEMPTS_PER_15_MIN: '3',
      LOGIN_ATTEMPTS_PER_IP_PER_15_MIN: '8',
      LOGIN_ATTEMPTS_PER_ACCOUNT_PER_HOUR: '8',
    }),
  );
  afterAll(() => api.stop());

  let ipCounter = 0;
  const uniqueIp = () => `203.0.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

  function logIn(email: string, password: string, ip: string): Promise<ApiResponse> {
    return api.client().post('/api/auth/login', { email, password }, { 'x-forwarded-for': ip });
  }

  function statuses(responses: ApiResponse[]): Record<number, number> {
    const counts: Record<number, number> = {};
    for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
    return counts;
  }

  it('lets exactly the allowed number of 60 parallel guesses reach the password check', async () => {
    const { email } = await api.signedUpUser('race');
    const ip = uniqueIp();
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => logIn(email, `wrong-guess-${i}`, ip)),
    );
    expect(statuses(results)).toEqual({ 401: 3, 429: 57 });
    const limited = results.find((r) => r.status === 429);
    expect(limited?.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    // The right password from the same address is refused too while the window lasts.
    expect((await logIn(email, 'irrelevant-now', ip)).status).toBe(429);
  });

  it('refunds a successful sign-in, so a user who mistypes twice is not pushed toward the limit', async () => {
    const { email, password } = await api.signedUpUser('refund');
    const ip = uniqueIp();
    for (let round = 0; round < 2; round++) {
      expect((await logIn(email, 'typo-typo-typo', ip)).status).toBe(401);
      expect((await logIn(email, 'typo-typo-typo', ip)).status).toBe(401);
      expect((await logIn(email, password, ip)).status).toBe(200);
    }
  });

  it('caps attempts per address over all emails (password spraying, argon2 CPU)', async () => {
    const ip = uniqueIp();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => logIn(api.uniqueEmail(`spray${i}`), 'Summer2026!!', ip)),
    );
    expect(statuses(results)).toEqual({ 401: 8, 429: 12 });
  });

  it('caps attempts per account over all addresses (distributed guessing)', async () => {
    const { email } = await api.signedUpUser('distributed');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => logIn(email, `guess-number-${i}`, uniqueIp())),
    );
    expect(statuses(results)).toEqual({ 401: 8, 429: 12 });
  });
});
