import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouseClient, migrateClickHouse, sql, type ClickHouseClient } from '@sightline/clickhouse';
import { loadBackupConfig, loadStoresConfig, type BackupConfig } from '@sightline/config';
import { startLocalS3Server, type LocalS3Server } from '../test/local-s3-server';
import { runBackup, runRestore, storageFromConfig } from './backup-runner';
import { completeBackupIds } from './backup-manifest';

/**
 * The short restore drill: a scratch Postgres database and ClickHouse database, seeded, backed up
 * to a local S3-compatible server through the AWS SDK, restored into new empty ones, compared row
 * by row (counts and content checksums). `npm run drill:restore` does the same with the real
 * schema and the demo traffic.
 */
const stores = loadStoresConfig();
const run = randomBytes(3).toString('hex');
const pgSource = withDatabase(stores.DATABASE_URL, `bk_src_${run}`);
const pgTarget = withDatabase(stores.DATABASE_URL, `bk_dst_${run}`);
const chSource = `bk_src_${run}`;
const chTarget = `bk_dst_${run}`;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: withDatabase(stores.DATABASE_URL, 'postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function pg<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const PG_FINGERPRINT = `SELECT md5(string_agg(a::text || b::text, ',' ORDER BY a.id)) AS f
  FROM accounts a JOIN notes b ON b.account_id = a.id`;
const CH_FINGERPRINT = (db: string) =>
  `SELECT toString(count()) AS n, toString(sum(cityHash64(site_id, timestamp, pathname, event_id))) AS f FROM ${db}.events`;

describe('backup and restore (Postgres pg_dump + ClickHouse partitions, via S3)', () => {
  let s3: LocalS3Server;
  let s3Dir: string;
  let ch: ClickHouseClient;
  let config: BackupConfig;
  let pushgateway: Server;
  const pushed: { url: string; body: string }[] = [];

  beforeAll(async () => {
    s3Dir = mkdtempSync(join(tmpdir(), 'sightline-s3-'));
    s3 = await startLocalS3Server(s3Dir);
    pushgateway = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        pushed.push({ url: `${req.method} ${req.url}`, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => pushgateway.listen(0, '127.0.0.1', r));
    const port = (pushgateway.address() as { port: number }).port;
    config = loadBackupConfig({
      DATABASE_URL: pgSource,
      CLICKHOUSE_URL: stores.CLICKHOUSE_URL,
      CLICKHOUSE_DATABASE: chSource,
      BACKUP_S3_BUCKET: s3.bucket,
      BACKUP_S3_ENDPOINT: s3.endpoint,
      BACKUP_S3_FORCE_PATH_STYLE: 'true',
      BACKUP_S3_ACCESS_KEY_ID: s3.accessKeyId,
      BACKUP_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      BACKUP_S3_PREFIX: `test/${run}`,
      BACKUP_PUSHGATEWAY_URL: `http://127.0.0.1:${port}`,
    });

    await admin(async (c) => {
      await c.query(`CREATE DATABASE bk_src_${run}`);
      await c.query(`CREATE DATABASE bk_dst_${run}`);
    });
    await pg(pgSource, async (c) => {
      await c.query(`CREATE TABLE accounts (id bigserial PRIMARY KEY, email text UNIQUE NOT NULL,
        settings jsonb NOT NULL DEFAULT '{}', avatar bytea, created_at timestamptz NOT NULL DEFAULT now())`);
      await c.query(`CREATE TABLE notes (id serial PRIMARY KEY,
        account_id bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, body text NOT NULL)`);
      await c.query(`INSERT INTO accounts (email, settings, avatar)
        SELECT 'user' || i || '@example.test', jsonb_build_object('n', i, 'name', 'Zürich ' || i), decode(md5(i::text), 'hex')
          FROM generate_series(1, 240) i`);
      await c.query(`INSERT INTO notes (account_id, body)
        SELECT 1 + (i % 240), E'line\\nwith ''quotes'' ' || i FROM generate_series(1, 500) i`);
    });

    const chAdmin = createClickHouseClient({ url: stores.CLICKHOUSE_URL, database: 'default' });
    ch = createClickHouseClient({ url: stores.CLICKHOUSE_URL, database: chSource });
    await migrateClickHouse(chAdmin, ch, chSource);
    await chAdmin.close();
    // A rollup fed by a materialized view with a TO table, and one keeping its own (.inner.) storage.
    await ch.command({
      query: `CREATE TABLE daily (site_id UInt64, day Date, visitors AggregateFunction(uniq, UInt64))
              ENGINE = AggregatingMergeTree() PARTITION BY toYYYYMM(day) ORDER BY (site_id, day)`,
    });
    await ch.command({
      query: `CREATE MATERIALIZED VIEW daily_mv TO daily AS SELECT site_id, toDate(timestamp) AS day,
              uniqState(visitor_id) AS visitors FROM ${chSource}.events GROUP BY site_id, day`,
    });
    await ch.command({
      query: `CREATE MATERIALIZED VIEW pages_mv ENGINE = SummingMergeTree() PARTITION BY site_id
              ORDER BY (site_id, pathname) AS SELECT site_id, pathname, count() AS hits
              FROM ${chSource}.events GROUP BY site_id, pathname`,
    });
    const months = ['2026-09-15 10:00:00', '2026-10-15 10:00:00', '2026-11-15 10:00:00'];
    for (const [m, ts] of months.entries()) {
      const rows = Array.from(
        { length: 100 },
        (_, i) =>
          sql`(${1 + (i % 3)}, ${new Date(ts.replace(' ', 'T') + 'Z')}, 'pageview', ${`/p/${i % 7}?q='x'`}, ${i + 1}, ${m * 1000 + i + 1})`
            .text,
      );
      await ch.command({
        query: `INSERT INTO events (site_id, timestamp, name, pathname, visitor_id, event_id) VALUES ${rows.join(', ')}`,
      });
    }
  });

  afterAll(async () => {
    await ch?.close();
    const chAdmin = createClickHouseClient({ url: stores.CLICKHOUSE_URL, database: 'default' });
    await chAdmin.command({ query: `DROP DATABASE IF EXISTS ${chSource}` });
    await chAdmin.command({ query: `DROP DATABASE IF EXISTS ${chTarget}` });
    await chAdmin.close();
    await admin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS bk_src_${run}`);
      await c.query(`DROP DATABASE IF EXISTS bk_dst_${run}`);
    });
    await s3?.close();
    pushgateway?.close();
    rmSync(s3Dir, { recursive: true, force: true });
  });

  it('backs up both stores and restores every row into empty targets', async () => {
    const pgBackup = await runBackup(config, 'postgres');
    const chBackup = await runBackup(config, 'clickhouse');
    expect(pgBackup.rows).toBe(740);
    expect(chBackup.rows).toBeGreaterThanOrEqual(300);

    const storage = storageFromConfig(config);
    const keys = await storage.listKeys(`test/${run}/`);
    storage.close();
    expect(completeBackupIds(keys, `test/${run}`, 'postgres')).toEqual([pgBackup.id]);
    // One object per partition of events (3 months) and of the rollups.
    expect(keys.filter((k) => k.includes('/events/'))).toHaveLength(3);

    const pgRestore = await runRestore({ ...config, DATABASE_URL: pgTarget }, 'postgres');
    expect(pgRestore.restoredRows).toBe(740);
    expect(pgRestore.expectedRows).toBe(740);
    const [before, after] = await Promise.all([
      pg(pgSource, (c) => c.query<{ f: string }>(PG_FINGERPRINT)),
      pg(pgTarget, (c) => c.query<{ f: string }>(PG_FINGERPRINT)),
    ]);
    expect(after.rows[0]?.f).toBe(before.rows[0]?.f);
    // Sequences come back too: the next id continues after the restored ones.
    const next = await pg(pgTarget, (c) =>
      c.query<{ id: string }>(`INSERT INTO accounts (email) VALUES ('new@example.test') RETURNING id`),
    );
    expect(Number(next.rows[0]?.id)).toBe(241);

    const chRestore = await runRestore(config, 'clickhouse', { targetDatabase: chTarget });
    expect(chRestore.restoredRows).toBe(chRestore.expectedRows);
    expect(chRestore.tables.map((t) => t.name).sort()).toEqual([
      'daily',
      'events',
      'events_hourly',
      'imported_browsers',
      'imported_devices',
      'imported_entry_pages',
      'imported_exit_pages',
      'imported_locations',
      'imported_operating_systems',
      'imported_pages',
      'imported_sources',
      'imported_visitors',
      'pages_mv',
      'schema_migrations',
      'sessions',
      'web_vitals',
    ]);
    for (const t of chRestore.tables) expect(t.restored).toBe(t.expected);
    const fingerprint = async (db: string) => {
      const rs = await ch.query({ query: CH_FINGERPRINT(db), format: 'JSONEachRow' });
      return rs.json();
    };
    expect(await fingerprint(chTarget)).toEqual(await fingerprint(chSource));
    const uniq = async (db: string) => {
      const rs = await ch.query({
        query: `SELECT site_id, uniqMerge(visitors) AS v FROM ${db}.daily GROUP BY site_id ORDER BY site_id`,
        format: 'JSONEachRow',
      });
      return rs.json();
    };
    expect(await uniq(chTarget)).toEqual(await uniq(chSource));
    // The restored view still feeds its rollup, once.
    await ch.command({
      query: `INSERT INTO ${chTarget}.events (site_id, timestamp, name, pathname, visitor_id) VALUES (9, now(), 'pageview', '/new', 1)`,
    });
    const hits = await ch.query({
      query: `SELECT toString(sum(hits)) AS h FROM ${chTarget}.pages_mv WHERE site_id = 9`,
      format: 'JSONEachRow',
    });
    expect(await hits.json()).toEqual([{ h: '1' }]);

    expect(pushed.map((p) => p.url)).toEqual([
      'POST /metrics/job/sightline_backup/store/postgres',
      'POST /metrics/job/sightline_backup/store/clickhouse',
    ]);
    expect(pushed[0]?.body).toMatch(/^sightline_backup_last_success_timestamp_seconds \d+$/m);
  });

  it('refuses to restore over a database that has tables', async () => {
    await expect(runRestore({ ...config, DATABASE_URL: pgTarget }, 'postgres')).rejects.toThrow(
      /refusing to restore/,
    );
    await expect(runRestore(config, 'clickhouse', { targetDatabase: chSource })).rejects.toThrow(
      /refusing to restore/,
    );
  });

  it('names what is missing when there is no complete backup', async () => {
    await expect(runRestore({ ...config, BACKUP_S3_PREFIX: `none/${run}` }, 'postgres')).rejects.toThrow(
      /no complete postgres backup/,
    );
  });

  it('pushes a failure (keeping the last success) when the store is unreachable', async () => {
    pushed.length = 0;
    await expect(
      runBackup({ ...config, DATABASE_URL: withDatabase(stores.DATABASE_URL, `missing_${run}`) }, 'postgres'),
    ).rejects.toThrow();
    expect(pushed).toHaveLength(1);
    expect(pushed[0]?.body).toContain('sightline_backup_last_failure_timestamp_seconds');
    expect(pushed[0]?.body).not.toContain('last_success');
  });
});
