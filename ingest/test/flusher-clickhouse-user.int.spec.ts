import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouseClient, sql } from '@sightline/clickhouse';
import { loadIngestConfig } from '@sightline/config';

/**
 * Finding 8: the flusher writes as an insert-only ClickHouse user (no CREATE, ALTER, DROP), so a
 * compromised ingest host cannot drop or rewrite every customer's data. The user comes from
 * libs/harness/src/stores.mjs (and the k8s ClickHouse users); `npm test` and `npm start` select it.
 */
describe('ClickHouse user of the flusher', () => {
  const config = loadIngestConfig();
  const writer = createClickHouseClient({
    url: config.CLICKHOUSE_URL,
    database: config.CLICKHOUSE_DATABASE,
    username: config.FLUSHER_CLICKHOUSE_USER,
    password: config.FLUSHER_CLICKHOUSE_PASSWORD,
  });
  afterAll(() => writer.close());

  it('is configured and is not the administrative user', () => {
    expect(config.FLUSHER_CLICKHOUSE_USER).toBe('sightline_flusher');
    expect(config.FLUSHER_CLICKHOUSE_USER).not.toBe(config.CLICKHOUSE_USER);
  });

  it('inserts events and reads them back (the dedup check), but cannot change the schema', async () => {
    const siteId = 900_000_000 + Math.floor(Math.random() * 1_000_000);
    await writer.command({
      query:
        sql`INSERT INTO events (site_id, timestamp, name, event_id) VALUES (${siteId}, now(), 'pageview', 1)`
          .text,
    });
    const rows = await (
      await writer.query({
        query: sql`SELECT count() AS c FROM events WHERE site_id = ${siteId}`.text,
        format: 'JSONEachRow',
      })
    ).json<{ c: string }>();
    expect(rows[0]?.c).toBe('1');
    for (const ddl of [
      'CREATE TABLE flusher_probe (a UInt8) ENGINE = Memory',
      'DROP TABLE events',
      'ALTER TABLE events ADD COLUMN probe UInt8',
    ])
      await expect(writer.command({ query: ddl }), ddl).rejects.toThrow(/DDL|allow_ddl/i);
  });
});
