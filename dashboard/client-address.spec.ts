import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const { forwardedFor } = createRequire(import.meta.url)('./client-address.cjs') as {
  forwardedFor: (incoming: string | string[] | undefined, socket: string | undefined, hops: number) => string;
};

describe('forwardedFor (dashboard → API client address)', () => {
  it('without trusted proxies drops whatever the client sent and appends the socket address', () => {
    expect(forwardedFor(undefined, '203.0.113.9', 0)).toBe('203.0.113.9');
    expect(forwardedFor('1.2.3.4, 5.6.7.8', '203.0.113.9', 0)).toBe('203.0.113.9');
    expect(forwardedFor('', '::ffff:198.51.100.7', 0)).toBe('198.51.100.7');
    expect(forwardedFor(undefined, '2001:db8::1', 0)).toBe('2001:db8::1');
  });

  it('keeps exactly the entries the trusted proxies appended, never the client-controlled ones', () => {
    // The client forged 6.6.6.6; the ingress appended the real 198.51.100.1 and connected from 10.0.0.5.
    expect(forwardedFor('6.6.6.6, 198.51.100.1', '10.0.0.5', 1)).toBe('198.51.100.1, 10.0.0.5');
    expect(forwardedFor(['6.6.6.6', '198.51.100.1'], '10.0.0.5', 1)).toBe('198.51.100.1, 10.0.0.5');
    expect(forwardedFor('198.51.100.1', '10.0.0.5', 2)).toBe('198.51.100.1, 10.0.0.5');
  });
});
