import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import type { ClickHouseClient } from '@sightline/clickhouse';

export interface StoreHealth {
  /** Stores without which the API cannot serve (accounts, sessions, sites, rate limits). */
  missing: ('postgres' | 'redis')[];
  /** ClickHouse only feeds the stats; when it is down they answer 503 and the rest keeps working. */
  analytics: 'up' | 'down';
}

/**
 * One check for `/api/ready` and the internal `/readyz`. ClickHouse is reported but does not take the
 * API out of rotation: sign-in and settings must not go down with the analytics store.
 */
export async function checkStores(stores: {
  dataSource: DataSource;
  redis: Redis;
  clickhouse: ClickHouseClient;
}): Promise<StoreHealth> {
  const missing: StoreHealth['missing'] = [];
  const [postgresOk, ping] = await Promise.all([
    stores.dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    ),
    stores.clickhouse.ping().catch(() => ({ success: false })),
  ]);
  if (!postgresOk) missing.push('postgres');
  if (stores.redis.status !== 'ready') missing.push('redis');
  return { missing, analytics: ping.success ? 'up' : 'down' };
}
