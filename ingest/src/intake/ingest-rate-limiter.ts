import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { addressKeys } from './client-address-key';
import { IngestError } from './ingest-error';

export interface RateLimits {
  perIp: number;
  perSite: number;
  windowSeconds: number;
}

/** Share of a site's capacity one source range can take at most. */
const RANGE_SHARE_OF_SITE = 0.1;
/** A range (/24, /48) may send this many times an address's limit (several visitors behind it). */
const RANGE_ADDRESSES = 10;

/** Events per window one source range may send: never more than a tenth of a site's capacity. */
export function perRangeLimit(limits: Pick<RateLimits, 'perIp' | 'perSite'>): number {
  return Math.max(
    1,
    Math.min(limits.perIp * RANGE_ADDRESSES, Math.floor(limits.perSite * RANGE_SHARE_OF_SITE)),
  );
}

/**
 * Per-site limits are shared by all receiver replicas through Redis (a flooding site is limited
 * globally); when Redis is unreachable each replica falls back to the same limit in memory.
 * Per-address limits are kept in each replica's memory: they stop one abusive client, which a
 * load balancer pins to few replicas, and cost no Redis round trip on the hot path. An address is
 * an IPv4 address or an IPv6 /64 (one subscriber), and its range (IPv4 /24, IPv6 /48) has a
 * limit too, below a tenth of a site's: so no single source range can use up a site's capacity
 * and have the site limit refuse its real visitors.
 */
export class IngestRateLimiter {
  private readonly perIp: RateLimiterMemory;
  private readonly perRange: RateLimiterMemory;
  private readonly perSite: RateLimiterRedis;

  constructor(redis: Redis, limits: RateLimits, keyPrefix = 'sightline:rl') {
    const limiter = (name: string, points: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${keyPrefix}:${name}`,
        points,
        duration: limits.windowSeconds,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points, duration: limits.windowSeconds }),
      });
    this.perIp = new RateLimiterMemory({
      keyPrefix: `${keyPrefix}:ip`,
      points: limits.perIp,
      duration: limits.windowSeconds,
    });
    this.perRange = new RateLimiterMemory({
      keyPrefix: `${keyPrefix}:range`,
      points: perRangeLimit(limits),
      duration: limits.windowSeconds,
    });
    this.perSite = limiter('site', limits.perSite);
  }

  async checkIp(ip: string): Promise<void> {
    const keys = addressKeys(ip);
    await consume(this.perIp, keys.address, 'rate_limited_ip', 'Too many events from this address');
    await consume(this.perRange, keys.range, 'rate_limited_ip', 'Too many events from this address range');
  }

  /** Charges `events` events to a site at once (the receiver batches them per event-loop turn). */
  chargeSite(siteId: number, events = 1): Promise<void> {
    return consume(
      this.perSite,
      String(siteId),
      'rate_limited_site',
      'Too many events for this site',
      events,
    );
  }
}

async function consume(
  limiter: RateLimiterRedis | RateLimiterMemory,
  key: string,
  code: string,
  message: string,
  points = 1,
): Promise<void> {
  try {
    await limiter.consume(key, points);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      throw new IngestError(429, code, message, Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    }
    throw rejection;
  }
}
