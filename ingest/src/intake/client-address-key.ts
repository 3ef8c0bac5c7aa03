import { isIPv4, isIPv6 } from 'node:net';

/** Rate-limit keys of a client address: the address itself, and the range it comes from. */
export interface AddressKeys {
  /** IPv4: the address. IPv6: its /64, the smallest block a subscriber is given (RFC 6177). */
  address: string;
  /** IPv4: the /24. IPv6: the /48, a typical site allocation. */
  range: string;
}

/**
 * Keys for the per-address limits. Keying IPv6 on the exact address would give one client 2^64
 * keys; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address it carries.
 */
export function addressKeys(ip: string): AddressKeys {
  if (isIPv4(ip)) return ipv4Keys(ip);
  const groups = isIPv6(ip) ? ipv6Groups(ip) : null;
  if (!groups) return { address: `?${ip}`, range: `?${ip}` };
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return ipv4Keys(`${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`);
  }
  const hex = groups.map((g) => g.toString(16));
  return { address: `${hex.slice(0, 4).join(':')}::/64`, range: `${hex.slice(0, 3).join(':')}::/48` };
}

function ipv4Keys(ip: string): AddressKeys {
  return { address: ip, range: `${ip.slice(0, ip.lastIndexOf('.'))}.0/24` };
}

/** The eight 16-bit groups of a valid IPv6 address (zone id dropped, embedded IPv4 expanded). */
function ipv6Groups(ip: string): number[] | null {
  let text = ip.split('%')[0] ?? '';
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted.split('.').map(Number);
    text = text.slice(0, -dotted.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  const zeros = 8 - front.length - back.length;
  if (zeros < 0 || (tail === undefined && zeros !== 0)) return null;
  const groups = [...front, ...Array<number>(zeros).fill(0), ...back];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}
