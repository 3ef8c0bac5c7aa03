import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { ApiConfig } from '@sightline/config';
import { tooManyRequests } from '../common/domain-error';
import { API_CONFIG, REDIS } from '../common/tokens';
import { PERIOD_SECONDS, type RateLimitSpec } from './rate-limit.decorator';

/**
 * The counters behind @RateLimit, in Redis so a budget holds across API replicas. One limiter per
 * route and budget (`route` names the handler, so two routes never share a counter).
 */
@Injectable()
export class RouteRateLimiter {
  private readonly limiters = new Map<string, RateLimiterRedis>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** Charges one point to `subject` on this route's budget; throws 429 (with retry-after) when spent. */
  async consume(route: string, spec: RateLimitSpec, subject: string): Promise<void> {
    try {
      await this.limiterFor(route, spec).consume(subject);
    } catch (err) {
      if (err instanceof RateLimiterRes)
        throw tooManyRequests(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
      throw err;
    }
  }

  private limiterFor(route: string, spec: RateLimitSpec): RateLimiterRedis {
    const name = `${route}:${spec.key}:${spec.per}:${spec.points}`;
    let limiter = this.limiters.get(name);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `sightline:rl:route:${name}`,
        points: spec.points * this.config.RATE_LIMIT_SCALE,
        duration: PERIOD_SECONDS[spec.per],
      });
      this.limiters.set(name, limiter);
    }
    return limiter;
  }
}
