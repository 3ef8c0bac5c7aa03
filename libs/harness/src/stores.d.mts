/** A store a run can stop and start again on the same port and data, like a restarted pod. */
export interface RestartableStore {
  readonly name: string;
  readonly url: string;
  readonly pid: number | undefined;
  start(): Promise<void>;
  /** Graceful stop (SIGTERM), as an orchestrator stops a pod; resolves once it has exited. */
  stop(): Promise<void>;
  /** Last resort when the runner itself is going down. */
  killNow(): void;
}

export interface StoreHandle<S = never> {
  url: string;
  /** The server this call started (the caller stops it), or null when one was already there. */
  started: S | null;
}

export interface PrivateRedisOptions {
  /** Extra redis-server flags, after the defaults (so they win). */
  flags?: string[];
  /** Persist in this directory (AOF, fsync every second); without it nothing is kept on disk. */
  dir?: string;
  logFile?: string;
  /** Prefix of its stderr lines. */
  logName?: string;
  /** Own process group: a Ctrl-C reaches only the runner. */
  detached?: boolean;
}

export class PrivateRedis implements RestartableStore {
  readonly name: 'redis';
  readonly port: number;
  static create(options?: PrivateRedisOptions): Promise<PrivateRedis>;
  static start(options?: PrivateRedisOptions): Promise<PrivateRedis>;
  get url(): string;
  get pid(): number | undefined;
  start(flags?: string[]): Promise<void>;
  stop(timeoutMs?: number): Promise<void>;
  kill(): Promise<void>;
  killNow(): void;
}

export interface ClickHousePorts {
  httpPort: number;
  tcpPort: number;
  interserverPort: number;
}

export interface PrivateClickHouseOptions {
  dataDir: string;
  /** Wipe `dataDir` first. */
  fresh?: boolean;
  logName?: string;
  detached?: boolean;
}

export class PrivateClickHouse implements RestartableStore {
  readonly name: 'clickhouse';
  readonly dataDir: string;
  readonly ports: ClickHousePorts;
  constructor(dataDir: string, ports: ClickHousePorts, options: { logName?: string; detached?: boolean });
  static create(options: PrivateClickHouseOptions): Promise<PrivateClickHouse>;
  static start(options: PrivateClickHouseOptions): Promise<PrivateClickHouse>;
  get url(): string;
  get pid(): number | undefined;
  start(timeoutMs?: number): Promise<void>;
  stop(timeoutMs?: number): Promise<void>;
  killNow(): void;
}

export function ensurePostgres(databaseUrl?: string): Promise<StoreHandle>;
export function ensureRedis(redisUrl?: string): Promise<StoreHandle>;
export function ensureClickHouse(
  clickhouseUrl: string | undefined,
  opts: ClickHousePorts & { dataDir: string },
): Promise<StoreHandle<PrivateClickHouse>>;
export function redisPing(port: number): Promise<boolean>;
export function clickHousePing(url: string): Promise<boolean>;
export const CLICKHOUSE_USERS_XML: string;
