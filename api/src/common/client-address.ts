import type { Request } from 'express';

/**
 * The caller's IP: the socket address, or the X-Forwarded-For entry added by the nearest of
 * `trustedHops` proxies (entries further left are client-controlled and ignored). A request that
 * carries fewer entries than that did not come through the proxies, so its socket address counts.
 */
export function clientAddress(req: Request, trustedHops: number): string {
  const socketAddress = req.socket.remoteAddress ?? '';
  if (trustedHops === 0) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return hops[hops.length - trustedHops] ?? socketAddress;
}
