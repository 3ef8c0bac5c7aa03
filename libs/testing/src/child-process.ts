import { inheritedEnvironment, type IngestConfig } from '@sightline/config';
import { startService, type ManagedProcess } from '@sightline/harness';

/** The config as the environment variables a child process would be started with. */
export function configToEnv(config: IngestConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) if (value !== undefined) env[key] = String(value);
  return env;
}

export type IngestChildProcess = Omit<ManagedProcess, 'exited' | 'output'> & {
  output: string[];
  exited: Promise<number | string>;
};

/**
 * Runs an ingest entry point (`receiver` or `flusher`) as a real child process, so tests can
 * kill it with SIGKILL like a crash would. Output is kept for failure messages; `exited` resolves
 * with the signal or exit code.
 */
export function spawnIngestProcess(entry: 'receiver' | 'flusher', config: IngestConfig): IngestChildProcess {
  const child = startService(entry, {
    env: { ...inheritedEnvironment(), ...configToEnv(config) },
    output: 'capture',
  });
  const exited = child.exited.then(({ code, signal }) => signal ?? code ?? -1);
  return Object.assign(child as Omit<ManagedProcess, 'exited' | 'output'>, {
    output: child.output ?? [],
    exited,
  });
}
