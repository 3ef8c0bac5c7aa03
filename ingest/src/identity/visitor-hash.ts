import { createHash } from 'node:crypto';

/**
 * The cookieless visitor id: 64 bits of SHA-256 over the day's secret salt, the site, the IP and
 * the user agent. Without the salt (rotated daily, then deleted) the id cannot be linked back to
 * an IP or across days.
 */
export function hashVisitor(salt: string, siteId: number, ip: string, userAgent: string): bigint {
  const digest = createHash('sha256')
    .update(salt)
    .update('\0')
    .update(String(siteId))
    .update('\0')
    .update(ip)
    .update('\0')
    .update(userAgent)
    .digest();
  return digest.readBigUInt64BE(0);
}
