// Makes Postgres, Redis and ClickHouse reachable: given URLs are used as they are; otherwise
// local servers are found or started (installed from Debian's packages when missing).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canConnect, commandExists, ensureDebianPackage, run, startProcess, waitFor } from './processes.mjs';
import { say } from './output.mjs';

const LOOPBACK = '127.0.0.1';

export async function ensurePostgres(databaseUrl) {
  if (databaseUrl) {
    const { hostname, port } = new URL(databaseUrl);
    await waitFor(
      `Postgres at ${hostname}:${port || 5432}`,
      () => canConnect(hostname, Number(port || 5432)),
      30_000,
    );
    return { url: databaseUrl, started: null };
  }
  if (!(await canConnect(LOOPBACK, 5432))) {
    if (!commandExists('pg_ctlcluster')) ensureDebianPackage('pg_ctlcluster', 'postgresql');
    const versions = readdirSync('/etc/postgresql');
    say(`starting local Postgres ${versions[0]}`);
    run('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0], 'main', 'start']);
    await waitFor('Postgres on 127.0.0.1:5432', () => canConnect(LOOPBACK, 5432), 30_000);
  }
  return { url: `postgres://postgres@${LOOPBACK}:5432/sightline`, started: null };
}

/**
 * Redis: the given URL, else the machine's on 6379 (started when it is down). With `port`,
 * a private throw-away server is started instead (tests) and stopped by the caller.
 */
export async function ensureRedis(redisUrl, { privatePort } = {}) {
  if (redisUrl) return { url: redisUrl, started: null };
  ensureDebianPackage('redis-server', 'redis-server');
  if (privatePort) {
    const child = startRedisServer(privatePort);
    await waitFor(`Redis on ${privatePort}`, () => canConnect(LOOPBACK, privatePort), 20_000);
    return { url: `redis://${LOOPBACK}:${privatePort}/0`, started: child };
  }
  if (!(await canConnect(LOOPBACK, 6379))) {
    say('starting local Redis on 6379');
    run('redis-server', [
      '--daemonize',
      'yes',
      '--bind',
      LOOPBACK,
      '-::1',
      '--port',
      '6379',
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
    await waitFor('Redis on 6379', () => canConnect(LOOPBACK, 6379), 20_000);
  }
  return { url: `redis://${LOOPBACK}:6379/0`, started: null };
}

export function startRedisServer(port) {
  return startProcess(
    'redis',
    'redis-server',
    [
      '--bind',
      LOOPBACK,
      '--port',
      String(port),
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'noeviction',
      '--loglevel',
      'warning',
    ],
    { quiet: true },
  );
}

/**
 * ClickHouse: the given URL, else one already answering on the HTTP port, else the Debian
 * server started with a project-local data directory. `fresh` wipes that directory first.
 */
export async function ensureClickHouse(
  clickhouseUrl,
  { dataDir, httpPort, tcpPort, interserverPort, fresh = false, logName = 'clickhouse' },
) {
  if (clickhouseUrl) {
    await waitFor(`ClickHouse at ${clickhouseUrl}`, () => clickHousePing(clickhouseUrl), 30_000);
    return { url: clickhouseUrl, started: null };
  }
  const url = `http://${LOOPBACK}:${httpPort}`;
  if (!fresh && (await clickHousePing(url))) return { url, started: null };
  ensureDebianPackage('clickhouse-server', 'clickhouse-server');
  if (fresh) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(join(dataDir, 'tmp'), { recursive: true });
  mkdirSync(join(dataDir, 'log'), { recursive: true });
  const child = startClickHouseServer({ dataDir, httpPort, tcpPort, interserverPort, logName });
  try {
    await waitFor(
      `ClickHouse on ${httpPort}`,
      async () => {
        if (child.exitCode !== null) throw new Error('clickhouse-server exited during start-up');
        return clickHousePing(url);
      },
      60_000,
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(
      `${err.message}. Last lines of ${join(dataDir, 'log', 'error.log')}:\n${tail(join(dataDir, 'log', 'error.log'), 5)}`,
      { cause: err },
    );
  }
  return { url, started: child };
}

export function startClickHouseServer({
  dataDir,
  httpPort,
  tcpPort,
  interserverPort,
  logName = 'clickhouse',
}) {
  const dir = dataDir.endsWith('/') ? dataDir : dataDir + '/';
  const config = existsSync('/etc/clickhouse-server/config.xml') ? '/etc/clickhouse-server/config.xml' : null;
  if (!config) throw new Error('/etc/clickhouse-server/config.xml is missing; reinstall clickhouse-server');
  const usersConfig = `${dir}users.xml`;
  writeFileSync(usersConfig, CLICKHOUSE_USERS_XML);
  // The Debian config's missing optional includes are reported on stdout at every start: noise.
  return startProcess(
    logName,
    'clickhouse-server',
    [
      `--config-file=${config}`,
      '--',
      `--path=${dir}`,
      `--tmp_path=${dir}tmp/`,
      `--user_files_path=${dir}user_files/`,
      `--format_schema_path=${dir}format_schemas/`,
      `--users_config=${usersConfig}`,
      `--http_port=${httpPort}`,
      `--tcp_port=${tcpPort}`,
      `--interserver_http_port=${interserverPort}`,
      `--listen_host=${LOOPBACK}`,
      `--logger.log=${dir}log/server.log`,
      `--logger.errorlog=${dir}log/error.log`,
      '--logger.console=0',
      '--logger.level=warning',
    ],
    { quiet: true },
  );
}

/**
 * The users of the development/test ClickHouse (18.16 has no SQL users or GRANTs; a current server
 * gets the same split through CREATE USER ... / GRANT, see README "Security"). Loopback-only, no
 * passwords: this server listens on 127.0.0.1 only.
 * - default: migrations and tests (DDL).
 * - sightline_api: the API's queries. readonly=1 (no writes, no DDL, cannot change settings, so it
 *   cannot lift its limits), max_execution_time 30 s, max_memory_usage 2 GB per query.
 * - sightline_flusher: inserts (allow_ddl=0: no CREATE/ALTER/DROP; reads stay possible).
 * - sightline_workers: the workers' jobs, including ALTER ... DELETE mutations for retention and
 *   deletions (allow_ddl=1), with a 10 GB per-query memory cap.
 */
export const CLICKHOUSE_USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>10000000000</max_memory_usage>
      <use_uncompressed_cache>0</use_uncompressed_cache>
      <load_balancing>random</load_balancing>
    </default>
    <api>
      <readonly>1</readonly>
      <max_execution_time>30</max_execution_time>
      <max_memory_usage>2000000000</max_memory_usage>
    </api>
    <flusher>
      <allow_ddl>0</allow_ddl>
      <max_execution_time>60</max_execution_time>
      <max_memory_usage>4000000000</max_memory_usage>
    </flusher>
    <workers>
      <max_memory_usage>10000000000</max_memory_usage>
    </workers>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>::1</ip><ip>127.0.0.1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
    <sightline_api>
      <password></password>
      <networks><ip>::1</ip><ip>127.0.0.1</ip></networks>
      <profile>api</profile>
      <quota>default</quota>
    </sightline_api>
    <sightline_flusher>
      <password></password>
      <networks><ip>::1</ip><ip>127.0.0.1</ip></networks>
      <profile>flusher</profile>
      <quota>default</quota>
    </sightline_flusher>
    <sightline_workers>
      <password></password>
      <networks><ip>::1</ip><ip>127.0.0.1</ip></networks>
      <profile>workers</profile>
      <quota>default</quota>
    </sightline_workers>
  </users>
  <quotas>
    <default>
      <interval>
        <duration>3600</duration>
        <queries>0</queries>
        <errors>0</errors>
        <result_rows>0</result_rows>
        <read_rows>0</read_rows>
        <execution_time>0</execution_time>
      </interval>
    </default>
  </quotas>
</yandex>
`;

function tail(file, lines) {
  return existsSync(file)
    ? readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n')
    : '(no log)';
}

export async function clickHousePing(url) {
  try {
    const res = await fetch(new URL('/ping', url), { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}
