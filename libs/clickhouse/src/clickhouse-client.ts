import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';

export type { ClickHouseClient };

export interface ClickHouseConnection {
  url: string;
  database: string;
  username?: string;
  password?: string;
}

/** Requests are kept short: the flusher retries on its own schedule, so the client should fail fast. */
export function createClickHouseClient(
  conn: ClickHouseConnection,
  opts: { requestTimeoutMs?: number } = {},
): ClickHouseClient {
  return createClient({
    url: conn.url,
    database: conn.database,
    username: conn.username ?? 'default',
    password: conn.password ?? '',
    request_timeout: opts.requestTimeoutMs ?? 30_000,
    application: 'sightline',
    log: { level: ClickHouseLogLevel.OFF }, // failures are reported by our own logger, once, without payloads
  });
}
