import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { CountryLookup, defaultCountryDatabasePath } from './country-lookup';

// IPs whose country is stable in the bundled ip-location-db database (checked against it): big
// operators' home ranges, registry and root-server infrastructure.
const PUBLIC_IPS: readonly [ip: string, country: string, owner: string][] = [
  ['8.8.8.8', 'US', 'Google Public DNS'],
  ['80.156.0.1', 'DE', 'Deutsche Telekom'],
  ['194.25.0.1', 'DE', 'Deutsche Telekom'],
  ['193.0.6.139', 'NL', 'RIPE NCC'],
  ['202.12.27.33', 'JP', 'M-root (WIDE)'],
  ['200.160.0.8', 'BR', 'NIC.br'],
  ['77.88.8.8', 'RU', 'Yandex DNS'],
  ['2001:4860:4860::8888', 'US', 'Google Public DNS (IPv6)'],
  ['2001:67c:2e8::1', 'NL', 'RIPE NCC (IPv6)'],
];

describe('CountryLookup', () => {
  let countries: CountryLookup;
  beforeAll(async () => {
    countries = await CountryLookup.open();
  });

  it('finds the bundled database through the module system', () => {
    expect(defaultCountryDatabasePath()).toMatch(/geo-whois-asn-country\.mmdb$/);
    expect(existsSync(defaultCountryDatabasePath())).toBe(true);
  });

  it.each(PUBLIC_IPS)('%s → %s (%s)', (ip, country) => {
    expect(countries.lookup(ip)).toBe(country);
  });

  it('returns some upper-case alpha-2 code for other well-known public IPs', () => {
    for (const ip of ['1.1.1.1', '9.9.9.9', '151.101.0.1', '2606:4700:4700::1111']) {
      expect(countries.lookup(ip)).toMatch(/^[A-Z]{2}$/);
    }
  });

  it('resolves IPv4-mapped IPv6 addresses as their IPv4 address, in any spelling', () => {
    expect(countries.lookup('::ffff:8.8.8.8')).toBe('US');
    expect(countries.lookup('::FFFF:80.156.0.1')).toBe('DE');
    expect(countries.lookup('::ffff:808:808')).toBe('US');
    expect(countries.lookup('0:0:0:0:0:ffff:509c:1')).toBe('DE'); // 80.156.0.1
  });

  it('tolerates surrounding whitespace', () => {
    expect(countries.lookup(' 8.8.8.8\n')).toBe('US');
  });

  it.each([
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1', // the database wrongly says AU: reserved ranges are filtered before lookup
    '127.0.0.1',
    '169.254.1.1',
    '100.64.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '192.0.2.1',
    '198.51.100.7',
    '203.0.113.1',
    '::ffff:192.168.1.1',
    '::ffff:127.0.0.1',
    '::',
    '::1',
    'fe80::1',
    'fe80::1%eth0',
    'fd12:3456:789a::1',
    'ff02::1',
    '2001:db8::1',
    '64:ff9b::808:808',
  ])('returns "" for the non-public address %s', (ip) => {
    expect(countries.lookup(ip)).toBe('');
  });

  it.each([
    '',
    'garbage',
    '1.2.3',
    '1.2.3.4.5',
    '999.1.1.1',
    '8.8.8.8:443',
    '[2001:4860:4860::8888]',
    '::ffff:1.2.3.4.5',
    'http://8.8.8.8/',
    '8.8.8.8, 9.9.9.9',
  ])('returns "" for the malformed input %j', (input) => {
    expect(countries.lookup(input)).toBe('');
  });

  it('never throws, whatever it is given', () => {
    expect(countries.lookup(undefined as unknown as string)).toBe('');
    expect(countries.lookup(null as unknown as string)).toBe('');
    expect(countries.lookup(42 as unknown as string)).toBe('');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.ipV4(), fc.ipV6(), fc.ipV4Extended()), (input) => {
        expect(countries.lookup(input)).toMatch(/^(?:[A-Z]{2})?$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects a missing database file when opening, not on lookup', async () => {
    await expect(CountryLookup.open('/nonexistent/country.mmdb')).rejects.toThrow();
  });
});
