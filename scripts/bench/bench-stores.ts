// Private, throw-away stores for the ingest bench: a Redis and a ClickHouse on free loopback ports
// with a fresh data directory, and a new Postgres database. A developer's data is never touched.
import { mkdirSync, rmSync, rmdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import {
  canConnect,
  ensureDebianPackage,
  freePort,
  run,
  stopProcess,
  waitFor,
  type ManagedProcess,
} from '../dev/processes.mjs';
import { clickHousePing, startClickHouseServer, startRedisServer } from '../dev/stores.mjs';

const LOOPBACK = '127.0.0.1';
const POSTGRES_ADMIN_URL = `postgres://postgres@${LOOPBACK}:5432/postgres`;
export const BENCH_CLICKHOUSE_DATABASE = 'sightline_bench';

export interface BenchStores {
  env: {
    DATABASE_URL: string;
    REDIS_URL: string;
    CLICKHOUSE_URL: string;
    CLICKHOUSE_DATABASE: string;
  };
  redis: ManagedProcess;
  clickhouse: ManagedProcess;
  /** This run's scratch directory (.data/bench/<run id>), removed at the end. */
  runDir: string;
}

/** Registers an undo step; the caller runs them in reverse order, also after Ctrl-C or a failure. */
export type OnCleanup = (what: string, undo: () => Promise<void> | void) => void;

export async function startBenchStores(
  root: string,
  runId: string,
  onCleanup: OnCleanup,
): Promise<BenchStores> {
  ensureDebianPackage('redis-server', 'redis-server');
  ensureDebianPackage('clickhouse-server', 'clickhouse-server');

  const redisPort = await freePort();
  const redis = startRedisServer(redisPort);
  onCleanup('redis', () => stopProcess(redis, 5_000));

  const dataDir = join(root, '.data', 'bench', runId, 'clickhouse');
  mkdirSync(join(dataDir, 'tmp'), { recursive: true });
  mkdirSync(join(dataDir, 'log'), { recursive: true });
  onCleanup('bench data directory', () => removeRunDir(dirname(dataDir)));
  const [httpPort, tcpPort, interserverPort] = [await freePort(), await freePort(), await freePort()];
  const clickhouse = startClickHouseServer({
    dataDir,
    httpPort,
    tcpPort,
    interserverPort,
    logName: 'bench-ch',
  });
  // Throw-away data: a slow shutdown is not waited for long.
  onCleanup('clickhouse', () => stopProcess(clickhouse, 5_000));

  const database = `sightline_bench_${runId}`;
  await createPostgresDatabase(database);
  onCleanup('postgres database', () => dropPostgresDatabase(database));

  const clickhouseUrl = `http://${LOOPBACK}:${httpPort}`;
  await Promise.all([
    waitFor(`bench Redis on ${redisPort}`, () => canConnect(LOOPBACK, redisPort), 20_000),
    waitFor(
      `bench ClickHouse on ${httpPort}`,
      async () => {
        if (clickhouse.exitCode !== null) throw new Error(`clickhouse-server exited; see ${dataDir}/log`);
        return clickHousePing(clickhouseUrl);
      },
      60_000,
    ),
  ]);

  const env = {
    DATABASE_URL: `postgres://postgres@${LOOPBACK}:5432/${database}`,
    REDIS_URL: `redis://${LOOPBACK}:${redisPort}/0`,
    CLICKHOUSE_URL: clickhouseUrl,
    CLICKHOUSE_DATABASE: BENCH_CLICKHOUSE_DATABASE,
  };
  // The same migrations `npm start` and `npm test` apply (Postgres `sites`, ClickHouse `events`).
  run(process.execPath, ['--import', 'tsx', 'scripts/setup/prepare-stores.ts'], {
    cwd: root,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { env, redis, clickhouse, runDir: dirname(dataDir) };
}

export async function insertSites(databaseUrl: string, domains: readonly string[]): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Every site belongs to an org; the bench's sites share one.
    const org = await client.query<{ id: string }>(`INSERT INTO orgs (name) VALUES ('bench') RETURNING id`);
    const orgId = org.rows[0]?.id;
    const placeholders = domains.map((_, i) => `($${2 * i + 1}, $${2 * i + 1}, $${2 * i + 2})`).join(', ');
    await client.query(
      `INSERT INTO sites (domain, name, org_id) VALUES ${placeholders}`,
      domains.flatMap((domain) => [domain, orgId]),
    );
  } finally {
    await client.end();
  }
}

async function withPostgresAdmin(work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

function assertBenchDatabaseName(name: string): void {
  // Identifiers cannot be bound as parameters; this pattern is the guard against dropping anything else.
  if (!/^sightline_bench_[a-z0-9]+$/.test(name)) throw new Error(`Refusing database name ${name}`);
}

async function createPostgresDatabase(name: string): Promise<void> {
  assertBenchDatabaseName(name);
  await withPostgresAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
}

async function dropPostgresDatabase(name: string): Promise<void> {
  assertBenchDatabaseName(name);
  // FORCE: a receiver killed by Ctrl-C may still hold a connection for a moment.
  await withPostgresAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Removes this run's directory, then `.data/bench` itself once no other run is using it. */
function removeRunDir(runDir: string): void {
  rmSync(runDir, { recursive: true, force: true });
  try {
    rmdirSync(dirname(runDir));
  } catch {
    // not empty (another bench is running) or already gone
  }
}
