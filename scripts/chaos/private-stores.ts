// The run's own stores: a Redis and a ClickHouse on free ports with data under the run's folder,
// and a throw-away Postgres database. A developer's stores are never touched, because the chaos
// run stops and starts its servers on purpose.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  ensureDebianPackage,
  freePort,
  startProcess,
  stopProcess,
  waitFor,
  type ManagedProcess as StartedProcess,
} from '../dev/processes.mjs';
import { clickHousePing, startClickHouseServer } from '../dev/stores.mjs';

const LOOPBACK = '127.0.0.1';

/** A server the run can stop and start again on the same port and data, like a restarted pod. */
export interface RestartableStore {
  readonly name: string;
  readonly url: string;
  readonly pid: number | undefined;
  start(): Promise<void>;
  /** Graceful stop (SIGTERM), as an orchestrator stops a pod; resolves once it has exited. */
  stop(): Promise<void>;
  /** Last resort when the chaos process itself is going down. */
  killNow(): void;
}

/**
 * Redis persisting like production (AOF, fsync every second, no eviction): a SIGTERM makes it
 * write and fsync the AOF, and a restart on the same `dir` loads the stream back.
 */
export class PrivateRedis implements RestartableStore {
  readonly name = 'redis';
  private child: StartedProcess | null = null;

  constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly logFile: string,
  ) {}

  static async create(dir: string, logFile: string): Promise<PrivateRedis> {
    ensureDebianPackage('redis-server', 'redis-server');
    mkdirSync(dir, { recursive: true });
    return new PrivateRedis(await freePort(), dir, logFile);
  }

  get url(): string {
    return `redis://${LOOPBACK}:${this.port}/0`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const child = startProcess(
      'chaos-redis',
      'redis-server',
      [
        '--bind',
        LOOPBACK,
        '--port',
        String(this.port),
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
        '--logfile',
        this.logFile,
        '--loglevel',
        'notice',
      ],
      // Own process group: Ctrl-C reaches only the chaos script, which then stops things in order.
      { quiet: true, detached: true },
    );
    this.child = child;
    await waitFor(
      `Redis on ${this.port}`,
      async () => {
        if (child.exitCode !== null)
          throw new Error(`redis-server exited (${child.exitCode}); see ${this.logFile}`);
        // PONG, not just an open port: while it loads the AOF, Redis accepts connections but answers LOADING.
        return redisPing(this.port);
      },
      30_000,
    );
  }

  async stop(): Promise<void> {
    if (this.child) await stopProcess(this.child, 30_000);
    this.child = null;
  }

  killNow(): void {
    this.child?.kill('SIGKILL');
  }
}

/** The Debian ClickHouse server with a data directory of its own; restarts keep the data. */
export class PrivateClickHouse implements RestartableStore {
  readonly name = 'clickhouse';
  private child: StartedProcess | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly ports: { httpPort: number; tcpPort: number; interserverPort: number },
  ) {}

  static async create(dataDir: string): Promise<PrivateClickHouse> {
    ensureDebianPackage('clickhouse-server', 'clickhouse-server');
    mkdirSync(join(dataDir, 'tmp'), { recursive: true });
    mkdirSync(join(dataDir, 'log'), { recursive: true });
    return new PrivateClickHouse(dataDir, {
      httpPort: await freePort(),
      tcpPort: await freePort(),
      interserverPort: await freePort(),
    });
  }

  get url(): string {
    return `http://${LOOPBACK}:${this.ports.httpPort}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const child = startClickHouseServer({ dataDir: this.dataDir, ...this.ports, logName: 'chaos-ch' });
    this.child = child;
    try {
      await waitFor(
        `ClickHouse on ${this.ports.httpPort}`,
        async () => {
          if (child.exitCode !== null) throw new Error('clickhouse-server exited during start-up');
          return clickHousePing(this.url);
        },
        90_000,
      );
    } catch (err) {
      child.kill('SIGKILL');
      const errorLog = join(this.dataDir, 'log', 'error.log');
      const tail = existsSync(errorLog) ? readFileSync(errorLog, 'utf8').trim().split('\n').slice(-5) : [];
      throw new Error(`${(err as Error).message}\n${tail.join('\n')}`, { cause: err });
    }
  }

  async stop(): Promise<void> {
    // 18.16 waits for running queries before it exits; give it time rather than SIGKILL it,
    // because this outage is meant to be a clean stop, not a crash.
    if (this.child) await stopProcess(this.child, 60_000);
    this.child = null;
  }

  killNow(): void {
    this.child?.kill('SIGKILL');
  }
}

/** A fresh Postgres database for the run, dropped at the end. */
export class ChaosDatabase {
  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly adminUrl: string,
  ) {}

  static async create(adminUrl: string): Promise<ChaosDatabase> {
    const name = `sightline_chaos_${randomBytes(5).toString('hex')}`;
    await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return new ChaosDatabase(name, url.toString(), adminUrl);
  }

  /** The one site every chaos event belongs to; needs the migrations to have run. */
  async createSite(domain: string): Promise<number> {
    return withClient(this.url, async (c) => {
      // Every site belongs to an org.
      const res = await c.query<{ id: number }>(
        `WITH org AS (INSERT INTO orgs (name) VALUES ('chaos') RETURNING id)
         INSERT INTO sites (domain, name, org_id) SELECT $1, $2, id FROM org RETURNING id`,
        [domain, 'chaos'],
      );
      const id = res.rows[0]?.id;
      if (id === undefined) throw new Error('INSERT INTO sites returned no id');
      return Number(id);
    });
  }

  async drop(): Promise<void> {
    // The name is ours by construction; the check keeps a future edit from dropping anything else.
    if (!/^sightline_chaos_[a-f0-9]+$/.test(this.name)) throw new Error(`refusing to drop ${this.name}`);
    await withClient(this.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`));
  }
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** True once Redis answers PING with PONG (it answers -LOADING while it reads the AOF). */
function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: LOOPBACK, port });
    let reply = '';
    const done = (ok: boolean) => {
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
