// What goes wrong and when: store outages at fixed moments, kill -9 of the services at seeded
// random moments (a crash does not wait for a convenient time), all while the load runs.
import type { ChaosOptions } from './chaos-options';
import type { IngestProcess } from './ingest-services';
import type { RestartableStore } from '@sightline/harness';
import { mulberry32 } from '../../scripts/seed/seeded-random';

export type FaultKind = 'redis-down' | 'clickhouse-down' | 'postgres-down' | 'kill-receiver' | 'kill-flusher';

export interface PlannedFault {
  kind: FaultKind;
  atMs: number;
  /** Outages only: how long the store stays down. */
  forMs?: number;
}

export interface FaultRecord {
  kind: FaultKind;
  /** When it actually happened, ms since the load started. */
  atMs: number;
  /** When the target answered again, ms since the load started. */
  backAtMs: number | null;
  detail: string;
}

export interface FaultTargets {
  redis: RestartableStore;
  clickhouse: RestartableStore;
  /** The receiver's link to Postgres (site decisions). */
  postgres: RestartableStore;
  receiver: IngestProcess;
  flusher: IngestProcess;
}

/** Kills never start in the first 3 s (the load must be flowing) and are at least 4 s apart per service. */
export function planFaults(opts: ChaosOptions): PlannedFault[] {
  const random = mulberry32(opts.seed);
  const plan: PlannedFault[] = [];
  if (opts.redisOutage) plan.push({ kind: 'redis-down', ...opts.redisOutage });
  if (opts.clickhouseOutage) plan.push({ kind: 'clickhouse-down', ...opts.clickhouseOutage });
  if (opts.postgresOutage) plan.push({ kind: 'postgres-down', ...opts.postgresOutage });
  const from = Math.min(3000, opts.loadMs / 4);
  const to = Math.max(from + 1, opts.loadMs - 3000);
  for (const atMs of randomMoments(random, opts.receiverKills, from, to, 4000))
    plan.push({ kind: 'kill-receiver', atMs });
  for (const atMs of randomMoments(random, opts.flusherKills, from, to, 4000))
    plan.push({ kind: 'kill-flusher', atMs });
  return plan.sort((a, b) => a.atMs - b.atMs);
}

/**
 * Runs the plan against the targets. Faults on different targets overlap freely (a kill during an
 * outage is part of the test); faults on one target wait for the previous one to finish.
 */
export async function runFaults(
  plan: PlannedFault[],
  targets: FaultTargets,
  sinceLoad: () => number,
  log: (line: string) => void,
  signal: AbortSignal,
): Promise<FaultRecord[]> {
  const records: FaultRecord[] = [];
  const queues = new Map<string, Promise<void>>();
  const tasks = plan.map(async (fault) => {
    await sleep(fault.atMs - sinceLoad(), signal);
    const target = targetOf(fault.kind);
    const previous = queues.get(target) ?? Promise.resolve();
    const run = previous.then(async () => {
      if (signal.aborted) return;
      records.push(await perform(fault, targets, sinceLoad, log, signal));
    });
    queues.set(target, run);
    await run;
  });
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed && !signal.aborted) throw failed.reason;
  return records.sort((a, b) => a.atMs - b.atMs);
}

function targetOf(kind: FaultKind): keyof FaultTargets {
  switch (kind) {
    case 'redis-down':
      return 'redis';
    case 'clickhouse-down':
      return 'clickhouse';
    case 'postgres-down':
      return 'postgres';
    case 'kill-receiver':
      return 'receiver';
    case 'kill-flusher':
      return 'flusher';
  }
}

async function perform(
  fault: PlannedFault,
  targets: FaultTargets,
  sinceLoad: () => number,
  log: (line: string) => void,
  signal: AbortSignal,
): Promise<FaultRecord> {
  const atMs = sinceLoad();
  if (fault.kind === 'redis-down' || fault.kind === 'clickhouse-down' || fault.kind === 'postgres-down') {
    const store =
      fault.kind === 'redis-down'
        ? targets.redis
        : fault.kind === 'clickhouse-down'
          ? targets.clickhouse
          : targets.postgres;
    const pid = store.pid;
    log(`${store.name}: stopping (SIGTERM, pid ${pid}) for ${seconds(fault.forMs ?? 0)}`);
    await store.stop();
    const stoppedMs = sinceLoad() - atMs;
    log(`${store.name}: down (stopping took ${seconds(stoppedMs)})`);
    await sleep(fault.forMs ?? 0, signal);
    log(`${store.name}: starting again (same port, same data)`);
    const startAt = sinceLoad();
    await store.start();
    const backAtMs = sinceLoad();
    log(`${store.name}: up again after ${seconds(backAtMs - startAt)} (pid ${store.pid})`);
    return {
      kind: fault.kind,
      atMs,
      backAtMs,
      detail: `${store.name} SIGTERM (exit took ${seconds(stoppedMs)}), down ${seconds(backAtMs - atMs - stoppedMs)}, answering again at ${seconds(backAtMs)} (start-up ${seconds(backAtMs - startAt)})`,
    };
  }
  const service = fault.kind === 'kill-receiver' ? targets.receiver : targets.flusher;
  const pid = service.pid;
  const generation = service.generation;
  log(`${service.role}: kill -9 (pid ${pid}, #${generation}); restarting it`);
  await service.kill9();
  await service.start();
  const backAtMs = sinceLoad();
  log(
    `${service.role}: #${service.generation} up again after ${seconds(backAtMs - atMs)} (pid ${service.pid})`,
  );
  return {
    kind: fault.kind,
    atMs,
    backAtMs,
    detail: `${service.role} #${generation} kill -9 (pid ${pid}), replacement listening after ${seconds(backAtMs - atMs)}`,
  };
}

/** `count` moments in [from, to), at least `gap` apart when that fits (else as drawn). */
function randomMoments(random: () => number, count: number, from: number, to: number, gap: number): number[] {
  let best: number[] = [];
  for (let attempt = 0; attempt < 200; attempt++) {
    const moments = Array.from({ length: count }, () => Math.round(from + random() * (to - from))).sort(
      (a, b) => a - b,
    );
    best = moments;
    if (moments.every((m, i) => i === 0 || m - (moments[i - 1] ?? 0) >= gap)) break;
  }
  return best;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    if (ms <= 0) return resolve();
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
