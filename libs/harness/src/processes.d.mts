import type { ChildProcess, SpawnOptions, SpawnSyncOptions } from 'node:child_process';

export type ManagedProcess = ChildProcess & {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** With `output: 'capture'`: everything the process printed, in chunks. */
  output?: string[];
};
export interface StartProcessOptions extends SpawnOptions {
  /** Prefixed output: stderr only. */
  quiet?: boolean;
  /** 'capture' keeps the output in `child.output`; a function gets each non-empty line. */
  output?: 'capture' | ((line: string) => void);
}
export function run(cmd: string, args: string[], opts?: SpawnSyncOptions): void;
export function tsNode(file: string): [string, string[]];
export function startProcess(
  name: string,
  cmd: string,
  args: string[],
  opts?: StartProcessOptions,
): ManagedProcess;
export function isRunning(child: ChildProcess): boolean;
export function stopProcess(child: ManagedProcess, timeoutMs?: number): Promise<void>;
export function killProcess(child: ManagedProcess): Promise<void>;
export function canConnect(host: string, port: number, timeoutMs?: number): Promise<boolean>;
export function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs?: number,
): Promise<void>;
export function freePort(): Promise<number>;
export function commandExists(cmd: string): boolean;
export function ensureDebianPackage(command: string, pkg: string): void;
