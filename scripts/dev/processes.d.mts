import type { ChildProcess, SpawnOptions, SpawnSyncOptions } from 'node:child_process';

export type ManagedProcess = ChildProcess & {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};
export function run(cmd: string, args: string[], opts?: SpawnSyncOptions): void;
export function startProcess(
  name: string,
  cmd: string,
  args: string[],
  opts?: SpawnOptions & { quiet?: boolean },
): ManagedProcess;
export function stopProcess(child: ChildProcess, timeoutMs?: number): Promise<void>;
export function canConnect(host: string, port: number, timeoutMs?: number): Promise<boolean>;
export function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs?: number,
): Promise<void>;
export function freePort(): Promise<number>;
export function commandExists(cmd: string): boolean;
export function ensureDebianPackage(command: string, pkg: string): void;
