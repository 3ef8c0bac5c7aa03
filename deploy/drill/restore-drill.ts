// `npm run drill:restore` — the restore drill, end to end on this machine:
//   1. private stores as `npm test` prepares them (a new Postgres database, a fresh ClickHouse on
//      free ports), migrated and seeded with the demo account and 60 days of demo traffic;
//   2. an S3-compatible server for the run (s3rver, from npm) on loopback;
//   3. backups of both stores with the production code (libs/backup, AWS SDK v3, pg_dump -Fc,
//      ClickHouse per-partition export);
//   4. the private copies WIPED (Postgres database dropped and recreated empty, ClickHouse
//      database dropped), then restored from the bucket;
//   5. every table counted again against the counts taken before the backup:
//      `postgres: N rows restored of N; clickhouse: N rows restored of N`. Exit 1 on any difference.
// Nothing outside the private stores is touched; they are removed at the end (`npm run drill:restore -- --keep` keeps them).
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createClickHouseClient, type ClickHouseClient } from '@sightline/clickhouse';
import { inheritedEnvironment, loadBackupConfig } from '@sightline/config';
import {
  ClickHouseBackupRepository,
  countPostgresRows,
  runBackup,
  runRestore,
  type BackupResult,
} from '@sightline/backup';
import { startLocalS3Server } from '../../libs/backup/test/local-s3-server';
import { ensurePostgres, PrivateClickHouse, run, withPostgres } from '@sightline/harness';

const root = resolve(__dirname, '..', '..');
const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
const CH_DATABASE = 'sightline_drill';

async function clickhouseCounts(client: ClickHouseClient): Promise<Record<string, number>> {
  const repo = new ClickHouseBackupRepository(client);
  const counts: Record<string, number> = {};
  for (const t of await repo.listTables(CH_DATABASE)) {
    if (t.engine === 'View' || t.engine === 'MaterializedView') continue; // their storage is counted
    counts[t.name] = await repo.countRows(CH_DATABASE, t.name);
  }
  return counts;
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((s, n) => s + n, 0);

function describe(r: BackupResult): string {
  return `${r.store} backup ${r.id}: ${r.rows} rows, ${(r.bytes / 1024).toFixed(1)} KiB in ${r.durationSeconds.toFixed(1)} s`;
}

async function main(): Promise<number> {
  const dir = join(root, '.data', 'drill', runId);
  mkdirSync(dir, { recursive: true });
  const postgres = await ensurePostgres(undefined);
  const databaseUrl = new URL(postgres.url);
  databaseUrl.pathname = `/sightline_drill_${runId}`;
  const adminUrl = new URL(postgres.url);
  adminUrl.pathname = '/postgres';
  const clickhouse = await PrivateClickHouse.start({
    dataDir: join(dir, 'clickhouse'),
    fresh: true,
    logName: 'drill-clickhouse',
  });
  const s3 = await startLocalS3Server(join(dir, 's3'));
  const ch = createClickHouseClient({ url: clickhouse.url, database: 'default' });
  try {
    const env = {
      ...inheritedEnvironment(),
      DATABASE_URL: databaseUrl.toString(),
      CLICKHOUSE_URL: clickhouse.url,
      CLICKHOUSE_DATABASE: CH_DATABASE,
      LOG_LEVEL: 'warn',
    };
    console.log('drill: preparing and seeding private stores');
    for (const step of ['scripts/setup/prepare-stores.ts', 'scripts/seed/seed-demo.ts']) {
      run(process.execPath, ['--import', 'tsx', step], { cwd: root, env });
    }

    const config = loadBackupConfig({
      ...env,
      BACKUP_S3_BUCKET: s3.bucket,
      BACKUP_S3_ENDPOINT: s3.endpoint,
      BACKUP_S3_FORCE_PATH_STYLE: 'true',
      BACKUP_S3_ACCESS_KEY_ID: s3.accessKeyId,
      BACKUP_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      BACKUP_S3_PREFIX: 'drill',
    });
    const pgBefore = await withPostgres(config.DATABASE_URL, countPostgresRows);
    const chBefore = await clickhouseCounts(ch);

    console.log(`drill: backing up to ${s3.endpoint}/${s3.bucket}`);
    console.log('drill: ' + describe(await runBackup(config, 'postgres')));
    console.log('drill: ' + describe(await runBackup(config, 'clickhouse')));

    console.log('drill: wiping the private copies');
    const dbName = databaseUrl.pathname.slice(1);
    await withPostgres(adminUrl.toString(), async (c) => {
      await c.query(`DROP DATABASE "${dbName}"`);
      await c.query(`CREATE DATABASE "${dbName}"`);
    });
    await ch.command({ query: `DROP DATABASE ${CH_DATABASE}` });
    const wiped = sum(await withPostgres(config.DATABASE_URL, countPostgresRows));
    if (wiped !== 0) throw new Error('the Postgres copy is not empty after the wipe');

    console.log('drill: restoring the latest backups');
    const started = Date.now();
    await runRestore(config, 'postgres');
    await runRestore(config, 'clickhouse');
    console.log(`drill: restore took ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const pgAfter = await withPostgres(config.DATABASE_URL, countPostgresRows);
    const chAfter = await clickhouseCounts(ch);
    const differences = [
      ...Object.entries(pgBefore)
        .filter(([t, n]) => pgAfter[t] !== n)
        .map(([t]) => `postgres ${t}`),
      ...Object.entries(chBefore)
        .filter(([t, n]) => chAfter[t] !== n)
        .map(([t]) => `clickhouse ${t}`),
    ];
    for (const d of differences) console.error(`drill: MISMATCH in ${d}`);
    console.log(
      `postgres: ${sum(pgAfter)} rows restored of ${sum(pgBefore)}; clickhouse: ${sum(chAfter)} rows restored of ${sum(chBefore)}`,
    );
    return differences.length === 0 && sum(pgBefore) > 0 && sum(chBefore) > 0 ? 0 : 1;
  } finally {
    await ch.close();
    await s3.close();
    await clickhouse.stop();
    if (!process.argv.includes('--keep')) {
      await withPostgres(adminUrl.toString(), (c) =>
        c.query(`DROP DATABASE IF EXISTS "${databaseUrl.pathname.slice(1)}"`),
      ).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`drill failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
