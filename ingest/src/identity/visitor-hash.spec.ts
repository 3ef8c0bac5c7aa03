import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashVisitor } from './visitor-hash';

describe('hashVisitor', () => {
  it('keeps the ids of the field-by-field SHA-256 (a deploy must not split running sessions)', () => {
    const ua =
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 — ünï';
    const expected = createHash('sha256')
      .update('salt-of-the-day')
      .update('\0')
      .update('42')
      .update('\0')
      .update('2001:db8::1')
      .update('\0')
      .update(ua)
      .digest()
      .readBigUInt64BE(0);
    expect(hashVisitor('salt-of-the-day', 42, '2001:db8::1', ua)).toBe(expected);
  });

  it('differs by site, address, user agent and salt', () => {
    const base = hashVisitor('s', 1, '1.2.3.4', 'ua');
    expect(
      new Set([
        base,
        hashVisitor('s', 2, '1.2.3.4', 'ua'),
        hashVisitor('s', 1, '1.2.3.5', 'ua'),
        hashVisitor('s', 1, '1.2.3.4', 'ub'),
        hashVisitor('t', 1, '1.2.3.4', 'ua'),
      ]).size,
    ).toBe(5);
  });
});
