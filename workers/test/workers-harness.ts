import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { EventsRepository, type ClickHouseClient } from '@sightline/clickhouse';
import { inheritedEnvironment, loadWorkersConfig, type WorkersConfig } from '@sightline/config';
import { serializeEventRow, type EventRow } from '@sightline/events';

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

let nextEventId = BigInt(Date.now()) * 1000n;

/** A stored event with only what the tests care about. */
export function eventRow(
  siteId: number,
  at: string | Date,
  fields: Partial<Omit<EventRow, 'site_id' | 'timestamp'>> = {},
): EventRow {
  const time = new Date(at);
  return {
    site_id: siteId,
    timestamp: time.toISOString().slice(0, 19).replace('T', ' '),
    name: 'pageview',
    hostname: 'example.com',
    pathname: '/',
    referrer: '',
    referrer_source: '',
    utm_source: '',
    utm_medium: '',
    utm_campaign: '',
    utm_content: '',
    utm_term: '',
    country_code: 'DE',
    browser: 'Firefox',
    browser_version: '120',
    os: 'Linux',
    os_version: '',
    device: 'Desktop',
    visitor_id: 1n,
    session_id: 1n,
    event_id: nextEventId++,
    props_keys: [],
    props_values: [],
    revenue_amount: 0,
    revenue_currency: '',
    ...fields,
  };
}

export async function insertRows(clickhouse: ClickHouseClient, rows: EventRow[]): Promise<void> {
  await new EventsRepository(clickhouse).insertJsonLines(rows.map((r) => serializeEventRow(r)));
}

const ROOT = join(__dirname, '..', '..');

export type WorkersProcess = ChildProcess & {
  output: string[];
  exited: Promise<number | string>;
  /** Resolves with the internal port once the process logged "workers running". */
  ready: Promise<number>;
};

/** The workers' main as a real child process (so tests can SIGKILL or SIGTERM it). */
export function spawnWorkers(env: Record<string, string>): WorkersProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'workers', 'src', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...inheritedEnvironment(),
      LOG_LEVEL: 'info',
      WORKERS_HOST: '127.0.0.1',
      WORKERS_METRICS_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as WorkersProcess;
  child.output = [];
  child.ready = new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      const text = d.toString();
      child.output.push(text);
      const match = /"metricsPort":(\d+).*"msg":"workers running"/.exec(text);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) =>
      reject(new Error(`workers exited (${code}) before running: ${child.output.join('')}`)),
    );
  });
  child.ready.catch(() => undefined);
  child.stderr?.on('data', (d: Buffer) => child.output.push(d.toString()));
  child.exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)),
  );
  return child;
}
