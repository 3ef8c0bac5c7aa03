import { Redis } from 'ioredis';

/**
 * Receiver connections fail fast (no offline queue): an event that Redis has not taken must be
 * answered 503 at once, not held in process memory where a crash would lose it.
 */
export function createRedis(url: string, opts: { failFast: boolean; name: string }): Redis {
  return new Redis(url, {
    connectionName: opts.name,
    enableAutoPipelining: true,
    enableOfflineQueue: !opts.failFast,
    maxRetriesPerRequest: opts.failFast ? 0 : null,
    // A hung Redis must not hold a visitor's request: after 1 s the event goes to the spool.
    commandTimeout: opts.failFast ? 1000 : undefined,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    lazyConnect: false,
  });
}

/**
 * An evicting Redis would silently drop buffered events under memory pressure. Refuses to run
 * against one unless explicitly allowed; a Redis that hides CONFIG (managed services) is trusted.
 */
export async function assertNoEviction(redis: Redis, allowEvicting: boolean): Promise<void> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    policy = reply[1];
  } catch {
    return;
  }
  if (policy && policy !== 'noeviction' && !allowEvicting) {
    throw new Error(
      `Redis maxmemory-policy is "${policy}": buffered events could be evicted. Set it to noeviction, or ALLOW_EVICTING_REDIS=true to accept the risk.`,
    );
  }
}
