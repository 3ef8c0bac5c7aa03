import type { ManagedProcess, StartProcessOptions } from './processes.mjs';

export const REPO_ROOT: string;
export type ServiceName = 'receiver' | 'flusher' | 'api' | 'workers' | 'stripe-emulator';
export const SERVICES: Record<ServiceName, { source: string; bundle?: string }>;
export interface StartServiceOptions {
  env: NodeJS.ProcessEnv;
  from?: 'source' | 'bundle';
  nodeArgs?: string[];
  output?: StartProcessOptions['output'];
  quiet?: boolean;
  detached?: boolean;
  root?: string;
}
export function startService(name: ServiceName, options: StartServiceOptions): ManagedProcess;
export function httpOk(url: string): Promise<boolean>;
export function waitForHttp(
  what: string,
  url: string,
  child?: ManagedProcess | null,
  timeoutMs?: number,
): Promise<void>;
export function dashboardCommand(root: string, port: number): [string, string[]];
