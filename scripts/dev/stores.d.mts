import type { ManagedProcess } from './processes.mjs';

export interface StoreHandle {
  url: string;
  started: ManagedProcess | null;
}
export interface ClickHouseServerOptions {
  dataDir: string;
  httpPort: number;
  tcpPort: number;
  interserverPort: number;
  logName?: string;
}
export function ensurePostgres(databaseUrl?: string): Promise<StoreHandle>;
export function ensureRedis(redisUrl?: string, opts?: { privatePort?: number }): Promise<StoreHandle>;
export function startRedisServer(port: number): ManagedProcess;
export function ensureClickHouse(
  clickhouseUrl: string | undefined,
  opts: ClickHouseServerOptions & { fresh?: boolean },
): Promise<StoreHandle>;
export function startClickHouseServer(opts: ClickHouseServerOptions): ManagedProcess;
export function clickHousePing(url: string): Promise<boolean>;
