import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { IngestError } from './ingest-error';

export interface RateLimits {
  perIp: number;
  perSite: number;
  windowSeconds: number;
}

/**
 * Per-site limits are shared by all receiver replicas through Redis (a flooding site is limited
 * globally); when Redis is unreachable each replica falls back to the same limit in memory.
 * Per-IP limits are kept in each replica's memory: they stop one abusive client, which a load
 * balancer pins to few replicas, and cost no Redis round trip on the hot path.
 */
export class IngestRateLimiter {
  private readonly perIp: RateLimiterMemory;
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
    this.perSite = limiter('site', limits.perSite);
  }

  checkIp(ip: string): Promise<void> {
    return consume(this.perIp, ip, 'rate_limited_ip', 'Too many events from this address');
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
