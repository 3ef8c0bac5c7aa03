import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { ApiConfig } from '@sightline/config';
import { tooManyRequests } from '../common/domain-error';
import { API_CONFIG, REDIS } from '../common/tokens';

/** One sign-in attempt that was charged before the password was checked. */
export interface LoginAttempt {
  ip: string;
  email: string;
}

/**
 * Sign-in throttle. Every attempt is charged atomically (one Redis INCR per counter) BEFORE argon2
 * runs, so parallel guesses cannot all pass a check made before any of them was counted; a
 * successful sign-in gets its charge back. Three counters bound three attacks:
 * - IP + email: guessing one password from one place (cleared on success);
 * - IP: spraying one password over many accounts, and burning API CPU through argon2;
 * - email: guessing one account's password from many addresses.
 * Wrong second factors keep their charge too, so TOTP codes cannot be guessed any faster.
 */
@Injectable()
export class LoginThrottle {
  private readonly pair: RateLimiterRedis;
  private readonly perIp: RateLimiterRedis;
  private readonly perAccount: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, @Inject(API_CONFIG) config: ApiConfig) {
    this.pair = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'sightline:rl:login',
      points: config.LOGIN_ATTEMPTS_PER_15_MIN,
      duration: 15 * 60,
    });
    this.perIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'sightline:rl:login-ip',
      points: config.LOGIN_ATTEMPTS_PER_IP_PER_15_MIN,
      duration: 15 * 60,
    });
    this.perAccount = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'sightline:rl:login-account',
      points: config.LOGIN_ATTEMPTS_PER_ACCOUNT_PER_HOUR,
      duration: 3600,
    });
  }

  /** Charges the attempt to all three counters, or throws 429 (charging nothing) when one is spent. */
  async charge(attempt: LoginAttempt): Promise<void> {
    const charged: Array<[RateLimiterRedis, string]> = [];
    for (const [limiter, key] of this.countersOf(attempt)) {
      try {
        await limiter.consume(key);
        charged.push([limiter, key]);
      } catch (err) {
        // Give back what this refused attempt already took, so a refusal does not extend the block.
        await Promise.all(charged.map(([l, k]) => l.reward(k, 1)));
        if (err instanceof RateLimiterRes)
          throw tooManyRequests(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
        throw err;
      }
    }
  }

  /** The sign-in succeeded: its charge is refunded and this address's failures for the email forgotten. */
  async refund(attempt: LoginAttempt): Promise<void> {
    await Promise.all([
      this.pair.delete(this.pairKey(attempt)),
      this.perIp.reward(attempt.ip, 1),
      this.perAccount.reward(attempt.email, 1),
    ]);
  }

  private countersOf(attempt: LoginAttempt): Array<[RateLimiterRedis, string]> {
    return [
      [this.perIp, attempt.ip],
      [this.perAccount, attempt.email],
      [this.pair, this.pairKey(attempt)],
    ];
  }

  private pairKey(attempt: LoginAttempt): string {
    return `${attempt.ip}|${attempt.email}`;
  }
}
