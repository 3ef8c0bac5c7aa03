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
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    lazyConnect: false,
  });
}
