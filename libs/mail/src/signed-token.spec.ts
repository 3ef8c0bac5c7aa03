import { describe, expect, it } from 'vitest';
import { signToken, signUnsubscribeToken, verifyToken, verifyUnsubscribeToken } from './signed-token';

const SECRET = 'x'.repeat(40);

describe('signed tokens', () => {
  const payload = {
    siteId: 7,
    userId: 'b7e1c7a2-0000-4000-8000-000000000001',
    kind: 'weekly' as const,
    version: 2,
  };

  it('round-trips an unsubscribe payload', () => {
    expect(verifyUnsubscribeToken(SECRET, signUnsubscribeToken(SECRET, payload))).toEqual(payload);
  });

  it('rejects tampering, other secrets, other purposes and junk', () => {
    const token = signUnsubscribeToken(SECRET, payload);
    const [body, sig] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ s: 8, u: payload.userId, k: 'weekly', v: 2 })).toString(
      'base64url',
    );
    expect(verifyUnsubscribeToken(SECRET, `${forged}.${sig}`)).toBeNull();
    expect(verifyUnsubscribeToken(SECRET, `${body}.${sig.slice(0, -2)}AA`)).toBeNull();
    expect(verifyUnsubscribeToken('y'.repeat(40), token)).toBeNull();
    expect(verifyToken(SECRET, 'other-purpose', token)).toBeNull();
    for (const junk of ['', '.', 'a.b.c', `${body}.`, 'x'.repeat(5000)])
      expect(verifyUnsubscribeToken(SECRET, junk)).toBeNull();
    expect(
      verifyUnsubscribeToken(
        SECRET,
        signToken(SECRET, 'report-unsubscribe', { s: 1, u: 'x', k: 'daily', v: 0 }),
      ),
    ).toBeNull();
  });
});
