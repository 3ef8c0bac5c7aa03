import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { inheritedEnvironment, type IngestConfig } from '@sightline/config';

const ROOT = join(__dirname, '..', '..', '..');

/** The config as the environment variables a child process would be started with. */
export function configToEnv(config: IngestConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) if (value !== undefined) env[key] = String(value);
  return env;
}

/**
 * Runs an ingest entry point (`receiver` or `flusher`) as a real child process, so tests can
 * kill it with SIGKILL like a crash would. Output is kept for failure messages.
 */
export function spawnIngestProcess(
  entry: 'receiver' | 'flusher',
  config: IngestConfig,
): ChildProcess & { output: string[]; exited: Promise<number | string> } {
  const file = join(ROOT, 'ingest', 'src', entry, `${entry}.main.ts`);
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: ROOT,
    env: { ...inheritedEnvironment(), ...configToEnv(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { output: string[]; exited: Promise<number | string> };
  child.output = [];
  child.stdout?.on('data', (d: Buffer) => child.output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => child.output.push(d.toString()));
  child.exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)),
  );
  return child;
}
