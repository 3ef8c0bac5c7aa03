import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import {
  createClickHouseClient,
  SITE_SCOPED_TABLES,
  sql,
  tableIdentifier,
  type ClickHouseClient,
} from '@sightline/clickhouse';
import { loadIngestConfig, type IngestConfig } from '@sightline/config';

/**
 * Factories and probes over the real stores that `npm test` prepared (fresh Postgres database,
 * private Redis and ClickHouse). Each test file makes its own context; ids and domains are unique
 * per call, so tests never see each other's data.
 */
export class TestContext {
  readonly pool: Pool;
  readonly clickhouse: ClickHouseClient;
  readonly runId = randomBytes(4).toString('hex');
  private configs = 0;

  constructor(readonly baseConfig: IngestConfig = loadIngestConfig()) {
    this.pool = new Pool({ connectionString: baseConfig.DATABASE_URL, max: 2 });
    this.clickhouse = createClickHouseClient({
      url: baseConfig.CLICKHOUSE_URL,
      database: baseConfig.CLICKHOUSE_DATABASE,
      username: baseConfig.CLICKHOUSE_USER,
      password: baseConfig.CLICKHOUSE_PASSWORD,
    });
  }

  /** Ingest config isolated to this context: its own stream, consumer group and ephemeral ports. */
  ingestConfig(overrides: Partial<IngestConfig> = {}): IngestConfig {
    return {
      ...this.baseConfig,
      INGEST_HOST: '127.0.0.1',
      INGEST_PORT: 0,
      INGEST_METRICS_PORT: 0,
      FLUSHER_METRICS_PORT: 0,
      EVENTS_STREAM: `test:events:${this.runId}`,
      EVENTS_CONSUMER_GROUP: `flushers-${this.runId}`,
      FLUSHER_CONSUMER: `flusher-${this.runId}`,
      FLUSH_INTERVAL_MS: 200,
      FLUSH_MAX_BACKOFF_MS: 1000,
      SITE_CACHE_TTL_MS: 1000,
      LOG_LEVEL: 'silent',
      INGEST_SPOOL_DIR: join(tmpdir(), `sightline-test-spool-${this.runId}-${++this.configs}`),
      RATE_LIMIT_PER_IP: 1_000_000, // tests send from one address; the rate-limit test lowers it
      ...overrides,
    };
  }

  /** A site row as the API would create it (in a fresh org unless one is given); the domain is unique to this call. */
  async newSite(
    opts: { domain?: string; timezone?: string; orgId?: string } = {},
  ): Promise<{ id: number; domain: string; orgId: string; timezone: string }> {
    const domain = opts.domain ?? `site-${this.runId}-${randomBytes(3).toString('hex')}.test`;
    const timezone = opts.timezone ?? 'UTC';
    const orgId = opts.orgId ?? (await this.newOrg());
    const result = await this.pool.query<{ id: number }>(
      'INSERT INTO sites (domain, name, timezone, org_id) VALUES ($1, $2, $3, $4) RETURNING id',
      [domain, domain, timezone, orgId],
    );
    return { id: (result.rows[0] as { id: number }).id, domain, orgId, timezone };
  }

  /** An org with no members (sites need one). */
  async newOrg(name = `org-${this.runId}`): Promise<string> {
    const result = await this.pool.query<{ id: string }>('INSERT INTO orgs (name) VALUES ($1) RETURNING id', [
      name,
    ]);
    return (result.rows[0] as { id: string }).id;
  }

  async countEvents(siteId: number, where = sql`1`): Promise<number> {
    return this.countSiteRows('events', siteId, where);
  }

  async events<T = Record<string, unknown>>(siteId: number): Promise<T[]> {
    const rs = await this.clickhouse.query({
      query: sql`SELECT * FROM events WHERE site_id = ${siteId} ORDER BY timestamp`.text,
      format: 'JSONEachRow',
    });
    return rs.json<T>();
  }

  /** A site's row count in each ClickHouse table that has a site_id column (SITE_SCOPED_TABLES), by table name. */
  async siteRowCounts(siteId: number): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of SITE_SCOPED_TABLES) counts[table.name] = await this.countSiteRows(table.name, siteId);
    return counts;
  }

  private async countSiteRows(table: string, siteId: number, where = sql`1`): Promise<number> {
    const rs = await this.clickhouse.query({
      query: sql`SELECT count() AS c FROM ${tableIdentifier(table)} WHERE site_id = ${siteId} AND ${where}`
        .text,
      format: 'JSONEachRow',
    });
    return Number((await rs.json<{ c: string }>())[0]?.c ?? 0);
  }

  async close(): Promise<void> {
    await this.pool.end();
    await this.clickhouse.close();
  }
}

/** Polls until `probe` returns a truthy value; returns it, or throws with the last value seen. */
export async function eventually<T>(
  probe: () => Promise<T>,
  opts: { timeoutMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${opts.what ?? 'condition'} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
