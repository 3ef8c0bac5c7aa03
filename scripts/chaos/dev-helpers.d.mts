// Types of the scripts/dev helpers that the chaos script uses (see dev-helpers.mjs).
import type { ChildProcess, SpawnOptions } from 'node:child_process';

/** A child started by `startProcess`: `exited` settles once, with how it ended. */
export interface StartedProcess extends ChildProcess {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function canConnect(host: string, port: number, timeoutMs?: number): Promise<boolean>;
/** Installs a Debian package when its command is missing (as `npm start` does). */
export function ensureDebianPackage(command: string, pkg: string): void;
export function freePort(): Promise<number>;
export function startProcess(
  name: string,
  cmd: string,
  args: string[],
  opts?: SpawnOptions & { quiet?: boolean },
): StartedProcess;
/** SIGTERM, then SIGKILL after `timeoutMs`; resolves when the process has exited. */
export function stopProcess(child: StartedProcess, timeoutMs?: number): Promise<void>;
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
}): StartedProcess;
