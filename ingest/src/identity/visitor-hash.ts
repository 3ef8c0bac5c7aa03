import { hash } from 'node:crypto';

/**
 * The cookieless visitor id: 64 bits of SHA-256 over the day's secret salt, the site, the IP and
 * the user agent. Without the salt (rotated daily, then deleted) the id cannot be linked back to
 * an IP or across days.
 */
export function hashVisitor(salt: string, siteId: number, ip: string, userAgent: string): bigint {
  // One-shot hash of the joined fields (the same bytes as updating them one by one, without a Hash
  // object per event).
  return hash('sha256', `${salt}\0${siteId}\0${ip}\0${userAgent}`, 'buffer').readBigUInt64BE(0);
}
