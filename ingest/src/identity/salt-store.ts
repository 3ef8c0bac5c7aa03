import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

const SALT_TTL_SECONDS = 3 * 24 * 3600;

export interface DaySalts {
  current: string;
  previous: string | null;
}

/**
 * Daily salts live in Redis so every receiver replica hashes alike. The first replica to need a
 * day's salt creates it (SET NX); salts expire after three days, so yesterday's salt is still
 * there to continue sessions that span midnight. Cached in memory per UTC day (also a missing
 * previous salt, so it is not looked up for every event).
 */
export class SaltStore {
  private cache = new Map<string, string | null>();
  private localSalts = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix = 'sightline:salt:',
  ) {}

  /** The salts of the UTC day `now` falls in, once both are known (asked for every event). */
  private known: { from: number; until: number; salts: DaySalts } | null = null;

  async saltsFor(now: Date): Promise<DaySalts> {
    const ms = now.getTime();
    if (this.known && ms >= this.known.from && ms < this.known.until) return this.known.salts;
    const [today, yesterday] = days(now);
    const current = await this.saltForDay(today, true);
    const previous = await this.saltForDay(yesterday, false);
    const salts = { current: current as string, previous };
    if (current) {
      const from = Date.parse(`${today}T00:00:00Z`);
      this.known = { from, until: from + 86_400_000, salts };
    }
    return salts;
  }

  /**
   * For when Redis is unreachable: the cached salts, or a salt local to this process. Visitors
   * seen by other replicas during the outage may then count twice; no event is refused for it.
   */
  fallbackSaltsFor(now: Date): DaySalts {
    const [today, yesterday] = days(now);
    let current = this.cache.get(today) ?? this.localSalts.get(today);
    if (!current) {
      current = randomBytes(32).toString('hex');
      this.localSalts.clear();
      this.localSalts.set(today, current);
    }
    return { current, previous: this.cache.get(yesterday) ?? null };
  }

  private async saltForDay(day: string, create: boolean): Promise<string | null> {
    if (this.cache.has(day)) return this.cache.get(day) ?? null;
    const key = this.keyPrefix + day;
    if (create) await this.redis.set(key, randomBytes(32).toString('hex'), 'EX', SALT_TTL_SECONDS, 'NX');
    const salt = await this.redis.get(key);
    if (this.cache.size > 4) this.cache.clear();
    if (salt || !create) this.cache.set(day, salt);
    return salt;
  }
}

function days(now: Date): [string, string] {
  return [now.toISOString().slice(0, 10), new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10)];
}
