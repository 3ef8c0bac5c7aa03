import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { ApiConfig } from '@sightline/config';
import { tooManyRequests } from './domain-error';
import { API_CONFIG, REDIS } from './tokens';

export const MAIL_PURPOSES = ['verify_email', 'reset_password', 'change_email', 'invitation'] as const;
export type MailPurpose = (typeof MAIL_PURPOSES)[number];

/** Per-key and per-address limits, counted in Redis so they hold across API replicas (sign-in: LoginThrottle). */
@Injectable()
export class RateLimits {
  private readonly apiKeys: RateLimiterRedis;
  private readonly emailSends = new Map<MailPurpose, RateLimiterRedis>();
  private readonly signUps: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, @Inject(API_CONFIG) config: ApiConfig) {
    const common = { storeClient: redis };
    this.apiKeys = new RateLimiterRedis({
      ...common,
      keyPrefix: 'sightline:rl:apikey',
      points: config.API_KEY_RATE_LIMIT_PER_MINUTE,
      duration: 60,
    });
    this.signUps = new RateLimiterRedis({
      ...common,
      keyPrefix: 'sightline:rl:signup',
      points: config.SIGNUPS_PER_HOUR_PER_IP,
      duration: 3600,
    });
    // One budget per purpose, so spending one (say, verification resends) never blocks another
    // (a victim's password reset).
    for (const purpose of MAIL_PURPOSES)
      this.emailSends.set(
        purpose,
        new RateLimiterRedis({
          ...common,
          keyPrefix: `sightline:rl:mail:${purpose}`,
          points: 5,
          duration: 3600,
        }),
      );
  }

  /** Counts every sign-up attempt from this address, so one client cannot mass-create accounts. */
  async consumeSignUp(ip: string): Promise<void> {
    await consume(this.signUps, ip);
  }

  async consumeApiKey(keyId: string): Promise<void> {
    await consume(this.apiKeys, keyId);
  }

  /** Mails of one purpose per target address, so nobody can mail-bomb an inbox through us. */
  async consumeEmailSend(email: string, purpose: MailPurpose): Promise<void> {
    await consume(this.mailLimiter(purpose), email);
  }

  /** Like consumeEmailSend, but answers false instead of throwing (for answers that must not differ). */
  async tryConsumeEmailSend(email: string, purpose: MailPurpose): Promise<boolean> {
    try {
      await this.mailLimiter(purpose).consume(email);
      return true;
    } catch (err) {
      if (err instanceof RateLimiterRes) return false;
      throw err;
    }
  }

  private mailLimiter(purpose: MailPurpose): RateLimiterRedis {
    const limiter = this.emailSends.get(purpose);
    if (!limiter) throw new Error(`no mail budget for ${purpose}`);
    return limiter;
  }
}

async function consume(limiter: RateLimiterRedis, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw tooManyRequests(secondsOf(err));
    throw err;
  }
}

function secondsOf(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}
