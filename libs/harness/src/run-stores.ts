// The stores of one run (a bench, the chaos run, the restore drill): a throw-away Postgres
// database on the machine's server, and a Redis and a ClickHouse of its own on free loopback ports
// with their data under the run's folder, migrated exactly as `npm start` and `npm test` migrate
// (scripts/setup/prepare-stores.ts). A developer's data is never touched.
import { join } from 'node:path';
import { inheritedEnvironment } from '@sightline/config';
import type { CleanupStack } from './cleanup-stack';
import { createThrowAwayDatabase, dropThrowAwayDatabase } from './private-database';
import { startProcess } from './processes.mjs';
import { REPO_ROOT } from './services.mjs';
import { ensurePostgres, PrivateClickHouse, PrivateRedis } from './stores.mjs';

/** Only these variables of the runner reach what a run starts: a developer's REDIS_URL or SENTRY_DSN must not. */
const PASSED_THROUGH = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'TZ', 'NODE_EXTRA_CA_CERTS'];

/** The runner's environment reduced to what a child needs to run (see PASSED_THROUGH). */
export function isolatedEnvironment(): NodeJS.ProcessEnv {
  const inherited = inheritedEnvironment();
  const env: NodeJS.ProcessEnv = {};
  for (const key of PASSED_THROUGH) if (inherited[key] !== undefined) env[key] = inherited[key];
  return env;
}

export interface StoresEnv {
  DATABASE_URL: string;
  REDIS_URL: string;
  CLICKHOUSE_URL: string;
  CLICKHOUSE_DATABASE: string;
}

export interface RunStores {
  env: StoresEnv;
  redis: PrivateRedis;
  clickhouse: PrivateClickHouse;
}

export interface RunStoresOptions {
  kind: 'bench' | 'chaos' | 'drill';
  /** A Postgres server (any database on it); default the machine's, started when down. */
  postgresUrl?: string;
  /** The run's folder: ClickHouse data, Redis AOF and logs go below it. */
  runDir: string;
  /** Suffix of the Postgres database name (default random). */
  runId?: string;
  clickhouseDatabase: string;
  /** Undo steps are pushed here as each store comes up. */
  cleanup: CleanupStack;
  /** Redis persists like production (AOF), so a graceful stop and start keeps the stream. */
  persistentRedis?: boolean;
  /** Stores in their own process groups (a runner that handles Ctrl-C itself). */
  detached?: boolean;
  /** Lines the migration prints (default: dropped unless it fails). */
  onOutput?: (line: string) => void;
  /** Skip the migrations (a caller that restores into empty stores). */
  migrate?: boolean;
  /** How long a store may take to stop at clean-up (default: each store's graceful default). */
  stopTimeoutMs?: number;
}

export async function startRunStores(opts: RunStoresOptions): Promise<RunStores> {
  const postgres = await ensurePostgres(opts.postgresUrl);
  const databaseUrl = await createThrowAwayDatabase(postgres.url, opts.kind, opts.runId);
  opts.cleanup.push(`drop database ${new URL(databaseUrl).pathname.slice(1)}`, () =>
    dropThrowAwayDatabase(databaseUrl),
  );

  const redis = await PrivateRedis.create({
    logName: `${opts.kind}-redis`,
    detached: opts.detached ?? false,
    ...(opts.persistentRedis
      ? { dir: join(opts.runDir, 'redis'), logFile: join(opts.runDir, 'logs', 'redis.log') }
      : {}),
  });
  const clickhouse = await PrivateClickHouse.create({
    dataDir: join(opts.runDir, 'clickhouse'),
    logName: `${opts.kind}-ch`,
    detached: opts.detached ?? false,
  });
  opts.cleanup.push('stop redis', () => redis.stop(opts.stopTimeoutMs));
  opts.cleanup.push('stop clickhouse', () => clickhouse.stop(opts.stopTimeoutMs));
  await Promise.all([redis.start(), clickhouse.start()]);

  const env: StoresEnv = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    CLICKHOUSE_URL: clickhouse.url,
    CLICKHOUSE_DATABASE: opts.clickhouseDatabase,
  };
  if (opts.migrate !== false) await migrate(env, opts.onOutput);
  return { env, redis, clickhouse };
}

/** The migrations `npm start` and `npm test` apply, as a child process; its output only on failure. */
export async function migrate(env: StoresEnv, onOutput?: (line: string) => void): Promise<void> {
  const lines: string[] = [];
  const child = startProcess(
    'prepare-stores',
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'setup', 'prepare-stores.ts')],
    {
      cwd: REPO_ROOT,
      env: { ...isolatedEnvironment(), ...env, LOG_LEVEL: 'warn' },
      output: (line) => {
        lines.push(line);
        onOutput?.(`[prepare-stores] ${line}`);
      },
    },
  );
  const { code, signal } = await child.exited;
  if (code !== 0) throw new Error(`prepare-stores exited with ${signal ?? code}:\n${lines.join('\n')}`);
}
