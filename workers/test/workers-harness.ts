import { randomBytes } from 'node:crypto';
import { inheritedEnvironment, loadWorkersConfig, type WorkersConfig } from '@sightline/config';
import { startService, type ManagedProcess } from '@sightline/harness';

/** Workers config on the test stores with a queue of its own, so test files never share jobs. */
export function testWorkersConfig(env: Record<string, string> = {}): WorkersConfig {
  return loadWorkersConfig({
    ...inheritedEnvironment(),
    LOG_LEVEL: 'silent',
    WORKERS_QUEUE: `test-jobs-${randomBytes(4).toString('hex')}`,
    WORKERS_HOST: '127.0.0.1',
    WORKERS_METRICS_PORT: '0',
    ...env,
  });
}

export type WorkersProcess = Omit<ManagedProcess, 'exited' | 'output'> & {
  output: string[];
  exited: Promise<number | string>;
  /** Resolves with the internal port once the process logged "workers running". */
  ready: Promise<number>;
};

/** The workers' main as a real child process (so tests can SIGKILL or SIGTERM it). */
export function spawnWorkers(env: Record<string, string>): WorkersProcess {
  const output: string[] = [];
  let running: (port: number) => void = () => undefined;
  const ready = new Promise<number>((resolve) => (running = resolve));
  const child = startService('workers', {
    env: {
      ...inheritedEnvironment(),
      LOG_LEVEL: 'info',
      WORKERS_HOST: '127.0.0.1',
      WORKERS_METRICS_PORT: '0',
      ...env,
    },
    output: (line) => {
      output.push(`${line}\n`);
      const match = /"metricsPort":(\d+).*"msg":"workers running"/.exec(line);
      if (match) running(Number(match[1]));
    },
  });
  const exited = child.exited.then(({ code, signal }) => signal ?? code ?? -1);
  const workers = Object.assign(child as Omit<ManagedProcess, 'exited' | 'output'>, {
    output,
    exited,
    ready: Promise.race([
      ready,
      exited.then((how) => {
        throw new Error(`workers exited (${how}) before running: ${output.join('')}`);
      }),
    ]),
  });
  workers.ready.catch(() => undefined);
  return workers;
}
