import { spawn } from 'node:child_process';
import { Client } from 'pg';
import { inheritedEnvironment } from '@sightline/config';
import type { Readable } from 'node:stream';
import type { BackupStorage } from './backup-storage';
import {
  MANIFEST_FILE,
  archivePrefix,
  backupId,
  postgresManifestSchema,
  type PostgresManifest,
} from './backup-manifest';

export interface PostgresBackupOptions {
  databaseUrl: string;
  storage: BackupStorage;
  prefix: string;
  now?: Date;
}

/** The URL without its password (pg_dump/pg_restore get it through PGPASSWORD, never argv). */
export function splitPassword(databaseUrl: string): { url: string; password: string | undefined } {
  const url = new URL(databaseUrl);
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.password = '';
  return { url: url.toString(), password };
}

function clientEnv(password: string | undefined): NodeJS.ProcessEnv {
  // PATH only (to find the binaries), plus the password: nothing else of this process leaks in.
  const env: NodeJS.ProcessEnv = { PATH: inheritedEnvironment().PATH };
  if (password !== undefined) env.PGPASSWORD = password;
  return env;
}

/** Exact row count of every user table, read in the transaction the client is in. */
export async function countPostgresRows(client: Client): Promise<Record<string, number>> {
  const tables = await client.query<{ schemaname: string; tablename: string }>(
    `SELECT schemaname, tablename FROM pg_tables
      WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND schemaname NOT LIKE 'pg_toast%'
      ORDER BY schemaname, tablename`,
  );
  const counts: Record<string, number> = {};
  for (const t of tables.rows) {
    const name = `${client.escapeIdentifier(t.schemaname)}.${client.escapeIdentifier(t.tablename)}`;
    const res = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${name}`);
    counts[`${t.schemaname}.${t.tablename}`] = Number(res.rows[0]?.n ?? 0);
  }
  return counts;
}

/** Runs a client binary; resolves when it exits 0, rejects with its stderr otherwise. */
function runClientTool(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  io: { stdin?: Readable; onStdout?: (stdout: Readable) => Promise<unknown> },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: [io.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const { stdout, stderr: errors } = child;
    if (!stdout || !errors) throw new Error(`${cmd}: no output pipes`);
    let stderr = '';
    errors.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-4000);
    });
    const consumed = io.onStdout ? io.onStdout(stdout) : Promise.resolve(stdout.resume());
    // The upload failed: stop the tool instead of leaving it blocked on a full pipe.
    consumed.catch(() => child.kill('SIGTERM'));
    if (io.stdin && child.stdin) {
      io.stdin.on('error', (err) => child.kill('SIGTERM') && reject(err));
      child.stdin.on('error', () => undefined); // EPIPE when the tool stops early: its exit code tells why
      io.stdin.pipe(child.stdin);
    }
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${cmd} exited with ${code}: ${stderr.trim()}`));
        return;
      }
      consumed.then(() => resolve(), reject);
    });
  });
}

/**
 * `pg_dump --format=custom` of the whole database, streamed to `<prefix>/postgres/<id>/postgres.dump`,
 * then the manifest. The dump and the row counts read the same snapshot (pg_export_snapshot), so the
 * counts in the manifest are exactly what a restore must give back.
 */
export async function backupPostgres(options: PostgresBackupOptions): Promise<PostgresManifest> {
  const started = options.now ?? new Date();
  const id = backupId(started);
  const folder = archivePrefix(options.prefix, 'postgres', id);
  const dumpKey = `${folder}postgres.dump`;
  const { url, password } = splitPassword(options.databaseUrl);
  const client = new Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = await client.query<{ s: string }>('SELECT pg_export_snapshot() AS s');
    const tables = await countPostgresRows(client);
    let bytes = 0;
    await runClientTool(
      'pg_dump',
      ['--format=custom', '--compress=6', `--snapshot=${snapshot.rows[0]?.s ?? ''}`, `--dbname=${url}`],
      clientEnv(password),
      {
        onStdout: async (stdout) => {
          bytes = await options.storage.putStream(dumpKey, stdout);
        },
      },
    );
    await client.query('COMMIT');
    const manifest: PostgresManifest = {
      format: 'sightline-backup/1',
      store: 'postgres',
      id,
      createdAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      database: decodeURIComponent(new URL(url).pathname.slice(1)),
      dumpKey,
      bytes,
      tables,
    };
    await options.storage.putJson(`${folder}${MANIFEST_FILE}`, manifest);
    return manifest;
  } finally {
    await client.end();
  }
}

export interface RestoreReport {
  tables: { name: string; expected: number; restored: number }[];
  expectedRows: number;
  restoredRows: number;
}

/**
 * Restores a Postgres archive into `databaseUrl`, which must exist and hold no tables (never over
 * live data): `pg_restore --no-owner --no-privileges --single-transaction --exit-on-error`, so a
 * failed restore leaves the target empty. Then compares every table's rows with the manifest.
 */
export async function restorePostgres(options: {
  databaseUrl: string;
  storage: BackupStorage;
  manifestKey: string;
}): Promise<RestoreReport> {
  const manifest = postgresManifestSchema.parse(await options.storage.getJson(options.manifestKey));
  const client = new Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    const existing = await countPostgresRows(client);
    if (Object.keys(existing).length > 0) {
      throw new Error(
        `refusing to restore into a database that has tables (${Object.keys(existing).slice(0, 3).join(', ')}…): ` +
          'restore into a new, empty database and switch the apps over',
      );
    }
    const { url, password } = splitPassword(options.databaseUrl);
    await runClientTool(
      'pg_restore',
      ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${url}`],
      clientEnv(password),
      { stdin: await options.storage.getStream(manifest.dumpKey) },
    );
    const restored = await countPostgresRows(client);
    return compareCounts(manifest.tables, restored);
  } finally {
    await client.end();
  }
}

export function compareCounts(
  expected: Record<string, number>,
  restored: Record<string, number>,
): RestoreReport {
  const tables = Object.entries(expected).map(([name, n]) => ({
    name,
    expected: n,
    restored: restored[name] ?? 0,
  }));
  return {
    tables,
    expectedRows: tables.reduce((s, t) => s + t.expected, 0),
    restoredRows: tables.reduce((s, t) => s + t.restored, 0),
  };
}
