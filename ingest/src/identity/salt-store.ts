import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

const SALT_TTL_SECONDS = 3 * 24 * 3600;

/**
 * Daily salts live in Redis so every receiver replica hashes alike. The first replica to need a
 * day's salt creates it (SET NX); salts expire after three days, so yesterday's salt is still
 * there to continue sessions that span midnight. Cached in memory per UTC day.
 */
export class SaltStore {
  private cache = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix = 'sightline:salt:',
  ) {}

  async saltsFor(now: Date): Promise<{ current: string; previous: string | null }> {
    const today = now.toISOString().slice(0, 10);
    const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
    const current = await this.saltForDay(today, true);
    const previous = await this.saltForDay(yesterday, false);
    return { current: current as string, previous };
  }

  private async saltForDay(day: string, create: boolean): Promise<string | null> {
    const cached = this.cache.get(day);
    if (cached) return cached;
    const key = this.keyPrefix + day;
    if (create) await this.redis.set(key, randomBytes(32).toString('hex'), 'EX', SALT_TTL_SECONDS, 'NX');
    const salt = await this.redis.get(key);
    if (salt) {
      if (this.cache.size > 4) this.cache.clear();
      this.cache.set(day, salt);
    }
    return salt;
  }
}
