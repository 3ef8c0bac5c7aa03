import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { open, type Reader, type Response } from 'maxmind';

/**
 * The CC0 country database bundled in the npm package (IPv4 + IPv6 in one file). Resolved through
 * the module system so it works wherever npm hoisted the package.
 */
export function defaultCountryDatabasePath(): string {
  return require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
}

/**
 * Ranges that never belong to a visitor's country. Checked before the database because the
 * ip-location-db data wrongly assigns some of them (e.g. 192.168.0.0/16 and 203.0.113.0/24 → AU).
 */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved + broadcast
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback and deprecated IPv4-compatible addresses
  ['64:ff9b::', 96], // NAT64 well-known prefix (a destination, never a client)
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID, ...)
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation (RFC 9637)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** Codes that are not countries: user-assigned "unknown" values and MaxMind's continent buckets. */
const NOT_A_COUNTRY: ReadonlySet<string> = new Set(['ZZ', 'XX', 'EU', 'AP']);

/** Maps a client IP to its ISO-3166 alpha-2 country, the only location Sightline ever stores. */
export class CountryLookup {
  /**
   * Recent answers by IP: a visitor sends several events in a row, and the range check plus the
   * tree walk cost more than a map lookup. Bounded: emptied when full (kept in memory only).
   */
  private readonly recent = new Map<string, string>();

  private constructor(
    private readonly reader: Reader<Response>,
    private readonly maxRecent = 20_000,
  ) {}

  /** Loads the database fully into memory (~8 MB for the default file); lookups are then sync. */
  static async open(path: string = defaultCountryDatabasePath()): Promise<CountryLookup> {
    // maxmind caches decoded records by their offset in the file; a country database has only a few
    // hundred distinct records, so a small cache holds all of them.
    return new CountryLookup(await open<Response>(path, { cache: { max: 1_000 } }));
  }

  /** Upper-case alpha-2 code, or '' for private, reserved, unknown or malformed addresses. */
  lookup(ip: string): string {
    const known = this.recent.get(ip);
    if (known !== undefined) return known;
    const code = this.resolve(ip);
    if (this.recent.size >= this.maxRecent) this.recent.clear();
    this.recent.set(ip, code);
    return code;
  }

  private resolve(ip: string): string {
    const address = toPublicAddress(ip);
    if (address === '') return '';
    try {
      return countryCodeOf(this.reader.get(address));
    } catch {
      // The reader throws on inputs it cannot parse; a lookup must never fail an event.
      return '';
    }
  }
}

/** ip-location-db records are `{ country_code }`; MaxMind-style files use `{ country: { iso_code } }`. */
function countryCodeOf(record: unknown): string {
  if (typeof record !== 'object' || record === null) return '';
  const { country_code: flat, country } = record as { country_code?: unknown; country?: unknown };
  const nested =
    typeof country === 'object' && country !== null
      ? (country as { iso_code?: unknown }).iso_code
      : undefined;
  const raw = flat ?? nested;
  if (typeof raw !== 'string') return '';
  const code = raw.toUpperCase();
  return /^[A-Z]{2}$/.test(code) && !NOT_A_COUNTRY.has(code) ? code : '';
}

/**
 * The canonical form of a public unicast address, or '' when there is nothing to look up.
 * IPv4-mapped IPv6 (`::ffff:1.2.3.4`, how dual-stack sockets report IPv4 clients) becomes plain
 * IPv4, because the database only holds those ranges under their IPv4 form.
 */
function toPublicAddress(input: string): string {
  if (typeof input !== 'string') return '';
  const ip = input.trim();
  if (isIPv4(ip)) return NON_PUBLIC.check(ip, 'ipv4') ? '' : ip;
  // Zone ids (`fe80::1%eth0`) only exist on link-local addresses, which have no country.
  if (!isIPv6(ip) || ip.includes('%')) return '';
  // Every spelling of a mapped address contains the `ffff` group; skip the parse for the rest.
  const mapped = /ffff/i.test(ip) ? mappedIPv4(ip) : '';
  if (mapped !== '') return NON_PUBLIC.check(mapped, 'ipv4') ? '' : mapped;
  return NON_PUBLIC.check(ip, 'ipv6') ? '' : ip;
}

/** The embedded IPv4 address of an IPv4-mapped IPv6 address (any spelling), else ''. */
function mappedIPv4(ip: string): string {
  // The URL parser canonicalises IPv6 (`::FFFF:1.2.3.4` and `0:0:0:0:0:ffff:102:304` both become
  // `::ffff:102:304`), which leaves one spelling to recognise.
  let host: string;
  try {
    host = new URL(`http://[${ip}]/`).hostname;
  } catch {
    return '';
  }
  const match = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/.exec(host);
  if (match === null) return '';
  const high = parseInt(match[1] ?? '', 16);
  const low = parseInt(match[2] ?? '', 16);
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}
