import { describe, expect, it } from 'vitest';
import { addressKeys } from './client-address-key';

describe('addressKeys', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7', '198.51.100.0/24'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64', '2001:db8:1::/48'],
    ['2001:db8:1:2::ffff', '2001:db8:1:2::/64', '2001:db8:1::/48'],
    ['2001:DB8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64', '2001:db8:1::/48'],
    ['2001:0db8:0001:0002::1', '2001:db8:1:2::/64', '2001:db8:1::/48'],
    ['2001:db8::1', '2001:db8:0:0::/64', '2001:db8:0::/48'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64', 'fe80:0:0::/48'],
    ['::1', '0:0:0:0::/64', '0:0:0::/48'],
    ['::ffff:203.0.113.9', '203.0.113.9', '203.0.113.0/24'],
    ['::ffff:cb00:7109', '203.0.113.9', '203.0.113.0/24'],
    ['64:ff9b::203.0.113.9', '64:ff9b:0:0::/64', '64:ff9b:0::/48'],
  ])('%s → %s, %s', (ip, address, range) => {
    expect(addressKeys(ip)).toEqual({ address, range });
  });

  it('gives every address of one /64 the same key', () => {
    const keys = new Set(
      Array.from({ length: 100 }, (_, i) => addressKeys(`2001:db8:aa:bb:${i.toString(16)}::${i}`).address),
    );
    expect([...keys]).toEqual(['2001:db8:aa:bb::/64']);
  });

  it('keys what is not an address apart from every address', () => {
    expect(addressKeys('not-an-ip').address).toBe('?not-an-ip');
  });
});
