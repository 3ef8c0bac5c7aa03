import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProductStack } from './product-stack';

/** POST through the real dashboard (Next's /api rewrite) from a chosen loopback source address. */
function postFrom(
  dashboardUrl: string,
  localAddress: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<number> {
  const url = new URL(path, dashboardUrl);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          origin: dashboardUrl,
          ...headers,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('finding 2: the API sees each caller’s own address through the dashboard', () => {
  const stack = new ProductStack();
  // Real budgets (5 password-reset requests a minute per address).
  beforeAll(() => stack.start([], { RATE_LIMIT_SCALE: '1' }), 120_000);
  afterAll(() => stack.stop());

  it('one caller spending its budget does not lock out another, and a forged X-Forwarded-For does not help', async () => {
    const reset = (from: string, headers: Record<string, string> = {}) =>
      postFrom(
        stack.dashboardUrl,
        from,
        '/api/auth/password-reset',
        { email: 'someone@example.test' },
        headers,
      );
    const attacker: number[] = [];
    // Each request forges a different address; the dashboard drops it and sends the real one.
    for (let i = 1; i <= 6; i++)
      attacker.push(await reset('127.0.0.2', { 'x-forwarded-for': `192.0.2.${i}` }));
    expect(attacker).toEqual([202, 202, 202, 202, 202, 429]);
    // Forging the victim's address does not spend the victim's budget either.
    expect(await reset('127.0.0.2', { 'x-forwarded-for': '127.0.0.3' })).toBe(429);
    expect(await reset('127.0.0.3')).toBe(202);
  });
});
