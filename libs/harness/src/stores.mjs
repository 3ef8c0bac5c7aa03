// Postgres, Redis and ClickHouse for every runner: `npm start` uses the developer's servers (found,
// or started and left running); `npm test`, the benches, the chaos run, the restore drill and the
// outage tests start private, throw-away servers on free loopback ports (PrivateRedis,
// PrivateClickHouse) that they may stop and start again. Plain ESM without dependencies: `npm start`
// and `npm test` load it before `npm install` has run. (Throw-away Postgres databases need `pg`:
// private-database.ts.)
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import {
  canConnect,
  commandExists,
  ensureDebianPackage,
  freePort,
  killProcess,
  run,
  startProcess,
  stopProcess,
  waitFor,
} from './processes.mjs';
import { say } from './output.mjs';

const LOOPBACK = '127.0.0.1';

/** Postgres: the given URL (waited for), else the machine's cluster on 5432, started when down. */
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

/** Redis: the given URL, else the machine's on 6379 (started as a daemon when it is down). */
export async function ensureRedis(redisUrl) {
  if (redisUrl) return { url: redisUrl, started: null };
  ensureDebianPackage('redis-server', 'redis-server');
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

/**
 * A redis-server of one run on a free loopback port, never evicting. Without `dir` it keeps nothing
 * on disk; with `dir` it persists like production (AOF, fsync every second), so a graceful stop and
 * a start on the same port bring the stream back. `flags` come last (e.g. another eviction policy).
 * `detached`: its own process group, so a Ctrl-C reaches only the runner, which stops it in order.
 */
export class PrivateRedis {
  name = 'redis';
  #child = null;

  constructor(port, options) {
    this.port = port;
    this.options = options;
  }

  static async create({ flags = [], dir, logFile, logName = 'redis', detached = false } = {}) {
    ensureDebianPackage('redis-server', 'redis-server');
    if (dir) mkdirSync(dir, { recursive: true });
    return new PrivateRedis(await freePort(), { flags, dir, logFile, logName, detached });
  }

  static async start(options = {}) {
    const redis = await PrivateRedis.create(options);
    await redis.start();
    return redis;
  }

  get url() {
    return `redis://${LOOPBACK}:${this.port}/0`;
  }

  get pid() {
    return this.#child?.pid;
  }

  /** Starts the server (again, on the same port and data); `flags` replace the ones given before. */
  async start(flags = this.options.flags) {
    this.options.flags = flags;
    const { dir, logFile, logName, detached } = this.options;
    const persistence = dir
      ? ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec']
      : ['--appendonly', 'no'];
    const logging = logFile ? ['--logfile', logFile, '--loglevel', 'notice'] : ['--loglevel', 'warning'];
    const child = startProcess(
      logName,
      'redis-server',
      [
        '--bind',
        LOOPBACK,
        '--port',
        String(this.port),
        '--save',
        '',
        ...persistence,
        '--maxmemory-policy',
        'noeviction',
        ...logging,
        ...flags,
      ],
      { quiet: true, detached },
    );
    this.#child = child;
    await waitFor(
      `Redis on ${this.port}`,
      async () => {
        if (child.exitCode !== null)
          throw new Error(`redis-server exited (${child.exitCode})${logFile ? `; see ${logFile}` : ''}`);
        // PONG, not just an open port: while it loads the AOF, Redis accepts connections but answers LOADING.
        return redisPing(this.port);
      },
      30_000,
    );
  }

  /** Graceful stop (SIGTERM: a persisting server writes its AOF), as an orchestrator stops a pod. */
  async stop(timeoutMs = 30_000) {
    if (this.#child) await stopProcess(this.#child, timeoutMs);
    this.#child = null;
  }

  /** kill -9: an outage without a goodbye. */
  async kill() {
    if (this.#child) await killProcess(this.#child);
    this.#child = null;
  }

  /** Last resort when the runner itself is going down (synchronous, for an exit hook). */
  killNow() {
    this.#child?.kill('SIGKILL');
  }
}

/** True once Redis on `port` answers PING with PONG (it answers -LOADING while it reads the AOF). */
export function redisPing(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: LOOPBACK, port });
    let reply = '';
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.once('error', () => done(false));
  });
}

/**
 * ClickHouse: the given URL, else one already answering on `httpPort`, else the Debian server
 * started with the project-local `dataDir` (the developer's, kept between runs).
 */
export async function ensureClickHouse(clickhouseUrl, { dataDir, httpPort, tcpPort, interserverPort }) {
  if (clickhouseUrl) {
    await waitFor(`ClickHouse at ${clickhouseUrl}`, () => clickHousePing(clickhouseUrl), 30_000);
    return { url: clickhouseUrl, started: null };
  }
  const url = `http://${LOOPBACK}:${httpPort}`;
  if (await clickHousePing(url)) return { url, started: null };
  const server = new PrivateClickHouse(dataDir, { httpPort, tcpPort, interserverPort }, {});
  await server.start(60_000);
  return { url, started: server };
}

/**
 * The Debian ClickHouse server (18.16 here) with a data directory of its own, on free loopback
 * ports, with the users of CLICKHOUSE_USERS_XML. Stop and start keep the data; `fresh` wipes the
 * directory first.
 */
export class PrivateClickHouse {
  name = 'clickhouse';
  #child = null;

  constructor(dataDir, ports, { logName = 'clickhouse', detached = false }) {
    this.dataDir = dataDir;
    this.ports = ports;
    this.options = { logName, detached };
  }

  static async create({ dataDir, fresh = false, logName, detached } = {}) {
    ensureDebianPackage('clickhouse-server', 'clickhouse-server');
    if (fresh) rmSync(dataDir, { recursive: true, force: true });
    const ports = {
      httpPort: await freePort(),
      tcpPort: await freePort(),
      interserverPort: await freePort(),
    };
    return new PrivateClickHouse(dataDir, ports, { logName, detached });
  }

  static async start(options) {
    const server = await PrivateClickHouse.create(options);
    await server.start();
    return server;
  }

  get url() {
    return `http://${LOOPBACK}:${this.ports.httpPort}`;
  }

  get pid() {
    return this.#child?.pid;
  }

  async start(timeoutMs = 90_000) {
    ensureDebianPackage('clickhouse-server', 'clickhouse-server');
    const dir = this.dataDir.endsWith('/') ? this.dataDir : this.dataDir + '/';
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    mkdirSync(join(dir, 'log'), { recursive: true });
    const config = '/etc/clickhouse-server/config.xml';
    if (!existsSync(config)) throw new Error(`${config} is missing; reinstall clickhouse-server`);
    const usersConfig = `${dir}users.xml`;
    writeFileSync(usersConfig, CLICKHOUSE_USERS_XML);
    const { httpPort, tcpPort, interserverPort } = this.ports;
    // The Debian config's missing optional includes are reported on stdout at every start: noise.
    const child = startProcess(
      this.options.logName,
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
      { quiet: true, detached: this.options.detached },
    );
    this.#child = child;
    try {
      await waitFor(
        `ClickHouse on ${httpPort}`,
        async () => {
          if (child.exitCode !== null) throw new Error('clickhouse-server exited during start-up');
          return clickHousePing(this.url);
        },
        timeoutMs,
      );
    } catch (err) {
      child.kill('SIGKILL');
      const errorLog = join(dir, 'log', 'error.log');
      throw new Error(`${err.message}. Last lines of ${errorLog}:\n${tail(errorLog, 5)}`, { cause: err });
    }
  }

  /**
   * Graceful stop. 18.16 waits for running queries before it exits; the default gives it time
   * rather than SIGKILL it, because an outage played with stop() is a clean stop, not a crash.
   */
  async stop(timeoutMs = 60_000) {
    if (this.#child) await stopProcess(this.#child, timeoutMs);
    this.#child = null;
  }

  /** Last resort when the runner itself is going down (synchronous, for an exit hook). */
  killNow() {
    this.#child?.kill('SIGKILL');
  }
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
