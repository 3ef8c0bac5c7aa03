import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { SiteLimit } from '../stream/batched-event-appender';
import { addressKeys } from './client-address-key';
import { FixedWindowLimiter } from './fixed-window-limiter';
import { IngestError } from './ingest-error';

export interface RateLimits {
  perIp: number;
  perSite: number;
  windowSeconds: number;
}

/** Share of a site's capacity one source range can take at most. */
const RANGE_SHARE_OF_SITE = 0.1;

/** Events per window one source range may send to one site: a tenth of the site's capacity. */
export function perSiteRangeLimit(limits: Pick<RateLimits, 'perSite'>): number {
  return Math.max(1, Math.floor(limits.perSite * RANGE_SHARE_OF_SITE));
}

/**
 * Per-site limits are shared by all receiver replicas through Redis (a flooding site is limited
 * globally); when Redis is unreachable each replica falls back to the same limit in memory.
 * Per-address limits are kept in each replica's memory (each process's, with INGEST_WORKERS > 1):
 * they stop one abusive client, which a load balancer pins to few replicas, and cost no Redis
 * round trip on the hot path. An address is
 * an IPv4 address or an IPv6 /64 (one subscriber). And what one source range (IPv4 /24, IPv6 /48)
 * sends to one site is capped at a tenth of the site's capacity (per replica, in memory), so no
 * single range can use up a site's limit and have it refuse the site's real visitors; a busy
 * range (a carrier's NAT) is not limited across sites.
 */
export class IngestRateLimiter {
  private readonly perIp: FixedWindowLimiter;
  private readonly perSiteRange: FixedWindowLimiter;
  private readonly perSite: RateLimiterRedis;

  /** The site limit as the batch script applies it, on the same counters as `chargeSite`. */
  readonly siteLimit: SiteLimit;

  constructor(redis: Redis, limits: RateLimits, keyPrefix = 'sightline:rl') {
    this.siteLimit = {
      key: (siteId) => `${keyPrefix}:site:${siteId}`,
      points: limits.perSite,
      windowSeconds: limits.windowSeconds,
    };
    const limiter = (name: string, points: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${keyPrefix}:${name}`,
        points,
        duration: limits.windowSeconds,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points, duration: limits.windowSeconds }),
      });
    // In memory, checked for every event: synchronous, no Redis round trip, no promise.
    this.perIp = new FixedWindowLimiter(limits.perIp, limits.windowSeconds * 1000);
    this.perSiteRange = new FixedWindowLimiter(perSiteRangeLimit(limits), limits.windowSeconds * 1000);
    this.perSite = limiter('site', limits.perSite);
  }

  /** Throws 429 `rate_limited_ip` when the client's address is over its limit. */
  checkIp(ip: string): void {
    const msLeft = this.perIp.hit(addressKeys(ip).address);
    if (msLeft > 0) throw tooMany('rate_limited_ip', 'Too many events from this address', msLeft);
  }

  /** One source range's share of one site's capacity (throws 429 `rate_limited_ip`). */
  checkSiteRange(siteId: number, ip: string): void {
    const msLeft = this.perSiteRange.hit(`${siteId}:${addressKeys(ip).range}`);
    if (msLeft > 0)
      throw tooMany('rate_limited_ip', 'Too many events for this site from this address range', msLeft);
  }

  /** Charges `events` events to a site at once (the spool path, while Redis is away: the memory insurance limiter). */
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

function tooMany(code: string, message: string, msLeft: number): IngestError {
  return new IngestError(429, code, message, Math.max(1, Math.ceil(msLeft / 1000)));
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
