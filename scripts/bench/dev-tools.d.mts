// Types of the scripts/dev helpers the bench uses (they are plain .mjs).
import type { ChildProcess, SpawnOptions, SpawnSyncOptions } from 'node:child_process';

/** A child started by startProcess: `exited` settles when it has gone. */
export interface ManagedProcess extends ChildProcess {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function canConnect(host: string, port: number, timeoutMs?: number): Promise<boolean>;
export function ensureDebianPackage(command: string, pkg: string): void;
export function freePort(): Promise<number>;
export function run(cmd: string, args: string[], opts?: SpawnSyncOptions): void;
export function startProcess(
  name: string,
  cmd: string,
  args: string[],
  opts?: SpawnOptions & { quiet?: boolean },
): ManagedProcess;
export function stopProcess(child: ManagedProcess, timeoutMs?: number): Promise<void>;
export function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs?: number,
): Promise<void>;

export function clickHousePing(url: string): Promise<boolean>;
export function startClickHouseServer(opts: {
  dataDir: string;
  httpPort: number;
  tcpPort: number;
  interserverPort: number;
  logName?: string;
}): ManagedProcess;
export function startRedisServer(port: number): ManagedProcess;
