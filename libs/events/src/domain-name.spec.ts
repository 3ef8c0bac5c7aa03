import { describe, expect, it } from 'vitest';
import { normalizeDomain } from './domain-name';

describe('normalizeDomain', () => {
  it.each([
    ['Example.COM', 'example.com'],
    ['https://www.example.com/path?q=1', 'example.com'],
    ['shop.example.co.uk:8443', 'shop.example.co.uk'],
    ['example.com.', 'example.com'],
    ['  demo.sightline.test ', 'demo.sightline.test'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeDomain(input)).toBe(expected);
  });

  it.each(['', 'not a domain', 'exa_mple.com', 'a..b', 'x'.repeat(254), 'ex"ample.com'])(
    'rejects %j',
    (input) => {
      expect(normalizeDomain(input)).toBeNull();
    },
  );
});
