// `npm run bench:ingest [-- --duration 20 --connections 50]`: how many events/s the ingest receiver
// accepts compared with a bare node:http server on the same machine in the same run, its latency,
// whether the flusher keeps up, peak memory, and that every accepted event reaches ClickHouse.
// Everything runs on private stores and loopback ports, and is removed again at the end.
// Flags: --duration S (20), --connections N (50), --warmup S (3), --pool N requests (5000),
// --drain-timeout S (60), --cpu-prof DIR (V8 profiles of receiver and flusher, for DevTools),
// --workers N (INGEST_WORKERS of the receiver; above 1 the bare baseline also runs as N processes).
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { insertSites, stopProcess } from '@sightline/harness';
import { checkCounts, printReport, type BenchFigures, type FlushFigures } from './bench-report';
import { benchRun, runBench, startBenchStores } from './bench-run';
import { BENCH_SITE_DOMAINS, buildEventRequests } from './event-pool';
import { startBareServer, startIngest } from './ingest-services';
import { runLoad, type LoadOptions } from './load-run';
import {
  clickHouseEventCount,
  groupCpuSeconds,
  groupMaxStatusBytes,
  processTree,
  prometheusSeries,
  prometheusValue,
  redisCommandCalls,
  startSampling,
  type Sample,
} from './samplers';

function say(message: string): void {
  console.log(`[bench] ${message}`);
}

const USAGE = `Usage: npm run bench:ingest [-- options]

Builds the ingest bundles, runs receiver + flusher on a private Redis and ClickHouse, and drives them
and a bare node:http baseline with autocannon on loopback.

  --duration=S        measured seconds of load (default 20)
  --connections=N     concurrent connections (default 50)
  --warmup=S          seconds of load before measuring (default 3)
  --pool=N            distinct visitors (IP + user agent) in the request pool (default 5000)
  --drain-timeout=S   how long the flusher may take to catch up after the load (default 60)
  --workers=N         receiver processes (INGEST_WORKERS, default 1); above 1 the bare baseline is
                      also measured as a node:cluster of N processes, for the same-process-count ratio
  --cpu-prof=DIR      write V8 CPU profiles of the receiver and flusher to DIR
  --help              this text`;

function options() {
  const { values } = parseArgs({
    options: {
      help: { type: 'boolean', default: false },
      duration: { type: 'string', default: '20' },
      connections: { type: 'string', default: '50' },
      warmup: { type: 'string', default: '3' },
      // 5,000 distinct visitors keep every IP under the receiver's per-IP limit (100 events per
      // 10 s by default) up to ~50k events/s; ~500 would cap the receiver near 5k events/s.
      pool: { type: 'string', default: '5000' },
      'drain-timeout': { type: 'string', default: '60' },
      workers: { type: 'string', default: '1' },
      'cpu-prof': { type: 'string' },
    },
  });
  const positive = (name: keyof typeof values, max: number): number => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new Error(`--${name} must be an integer in 1..${max}`);
    return n;
  };
  return {
    help: values.help,
    durationS: positive('duration', 600),
    connections: positive('connections', 1_000),
    warmupS: positive('warmup', 60),
    poolSize: positive('pool', 100_000),
    drainTimeoutS: positive('drain-timeout', 600),
    workers: positive('workers', 64),
    cpuProfileDir: values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined,
  };
}

const run = benchRun(say);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- the run ---------------------------------------------------------------------------------

async function main(opts: ReturnType<typeof options>): Promise<number> {
  const stores = await startBenchStores(run);
  await insertSites(stores.env.DATABASE_URL, BENCH_SITE_DOMAINS, 'bench');
  say(
    `starting receiver (${opts.workers} process${opts.workers > 1 ? 'es' : ''}), flusher and the bare node:http baseline`,
  );
  const [{ receiver, flusher }, bare, bareSame] = await Promise.all([
    startIngest(stores.env, { ...run, cpuProfileDir: opts.cpuProfileDir, workers: opts.workers }),
    startBareServer(run.cleanup),
    opts.workers > 1 ? startBareServer(run.cleanup, opts.workers) : Promise.resolve(null),
  ]);
  // A cluster's primary and workers are measured together: CPU summed, memory of the largest one.
  const pids = {
    receiver: await processTree(receiver.process.pid ?? 0),
    flusher: [flusher.process.pid ?? 0],
    redis: [stores.redis.pid ?? 0],
    clickhouse: [stores.clickhouse.pid ?? 0],
  };
  const idleRss = {
    receiver: await groupMaxStatusBytes(pids.receiver, 'VmRSS'),
    flusher: await groupMaxStatusBytes(pids.flusher, 'VmRSS'),
  };
  const redisPort = Number(new URL(stores.env.REDIS_URL).port);
  const requests = buildEventRequests(opts.poolSize, BENCH_SITE_DOMAINS);
  const load = (url: string, durationS: number): LoadOptions => ({
    url,
    durationS,
    connections: opts.connections,
    requests,
  });
  const receiverMetrics = `${receiver.internalUrl}/metrics`;
  const flusherMetrics = `${flusher.internalUrl}/metrics`;
  const storedRows = () => clickHouseEventCount(stores.env.CLICKHOUSE_URL, stores.env.CLICKHOUSE_DATABASE);
  const appended = () => prometheusValue(receiverMetrics, 'sightline_ingest_events_accepted_total');
  const dropped = () => prometheusValue(receiverMetrics, 'sightline_ingest_events_dropped_total');
  const rejected = () => prometheusSeries(receiverMetrics, 'sightline_ingest_events_rejected_total');

  // Baseline first, then stop it so it holds no CPU or memory during the ingest run.
  const baseline = async (server: typeof bare, processes: number) => {
    say(
      `baseline: bare node:http, ${processes} process(es), ${opts.warmupS} s warm-up + ${opts.durationS} s`,
    );
    const group = await processTree(server.process.pid ?? 0);
    await runLoad(load(server.url, opts.warmupS));
    const cpuBefore = await groupCpuSeconds(group);
    const result = await runLoad(load(server.url, opts.durationS));
    const cpu = subtract(await groupCpuSeconds(group), cpuBefore);
    const peakRss = await groupMaxStatusBytes(group, 'VmHWM');
    await stopProcess(server.process, 3_000);
    return { result, cpu, peakRss };
  };
  const bareRun = await baseline(bare, 1);
  const bareResult = bareRun.result;
  const bareSameRun = bareSame ? await baseline(bareSame, opts.workers) : null;

  // Warm-up fills the site cache, creates the daily salt and lets V8 optimise; its rows are
  // waited for and subtracted, so the count check covers exactly the measured run.
  say(`ingest: ${opts.warmupS} s warm-up`);
  await runLoad(load(receiver.url, opts.warmupS));
  await waitForStable(appended, 500, 15_000);
  await waitForCount(storedRows, (await appended()) ?? 0, 30_000);
  const rows0 = await storedRows();
  const appended0 = await appended();
  const dropped0 = (await dropped()) ?? 0;
  const rejected0 = await rejected();

  const redisCallsBefore = await redisCommandCalls(redisPort);
  const cpuBefore = await cpuSnapshot(pids);
  const selfCpuBefore = process.cpuUsage();
  const rowSamples = startSampling(500, storedRows);
  const backlogSamples = startSampling(1_000, () =>
    prometheusValue(flusherMetrics, 'sightline_flusher_stream_backlog'),
  );
  const rssSamples = {
    receiver: startSampling(500, () => groupMaxStatusBytes(pids.receiver, 'VmRSS')),
    flusher: startSampling(500, () => groupMaxStatusBytes(pids.flusher, 'VmRSS')),
  };

  say(`ingest: ${opts.durationS} s measured`);
  const ingestResult = await runLoad(load(receiver.url, opts.durationS));
  const cpuAfter = await cpuSnapshot(pids);
  const selfCpu = process.cpuUsage(selfCpuBefore);
  // Requests the generator abandoned when it stopped are still being handled: wait until the
  // receiver's counter stands still before taking it as the number of acknowledged events.
  await waitForStable(appended, 500, 15_000);
  const redisCallsAfter = await redisCommandCalls(redisPort);
  const appendedDelta = subtract(await appended(), appended0);
  const droppedDelta = subtract(await dropped(), dropped0);
  const rejectedDelta = seriesDelta(await rejected(), rejected0);

  say(`waiting up to ${opts.drainTimeoutS} s for the flusher to store everything`);
  const expectedRows = rows0 + (appendedDelta ?? ingestResult.accepted);
  await waitForCount(storedRows, expectedRows, opts.drainTimeoutS * 1_000).catch(() => undefined);
  await waitForBacklogZero(backlogSamples.samples, ingestResult.endedAt, opts.drainTimeoutS * 1_000);
  await sleep(1_500); // one more flush interval: a duplicate batch would show up now
  const finalRows = await storedRows();
  const finalAt = Date.now();
  rowSamples.stop();
  backlogSamples.stop();
  rssSamples.receiver.stop();
  rssSamples.flusher.stop();
  // VmHWM is the kernel's own high-water mark since start (boot included), so no spike is missed;
  // the sampled VmRSS shows what the process holds under load.
  const peak = async (group: number[]) => groupMaxStatusBytes(group, 'VmHWM');
  const maxOf = (samples: Sample[]) => (samples.length ? Math.max(...samples.map((s) => s.value)) : null);

  const figures: BenchFigures = {
    connections: opts.connections,
    durationS: opts.durationS,
    poolSize: opts.poolSize,
    cores: cpus().length,
    cpus: `${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}) shared by all processes`,
    workers: opts.workers,
    bare: bareResult,
    bareSame: bareSameRun?.result ?? null,
    ingest: ingestResult,
    receiverAppended: appendedDelta,
    receiverDropped: droppedDelta,
    receiverRejected: rejectedDelta,
    flush: flushFigures(
      rows0,
      { value: finalRows, at: finalAt },
      rowSamples.samples,
      backlogSamples.samples,
      ingestResult,
    ),
    idleRssBytes: idleRss,
    barePeakRssBytes: bareRun.peakRss,
    redisCallsPerEvent: perEvent(redisCallsBefore, redisCallsAfter, appendedDelta ?? ingestResult.accepted),
    peakRssBytes: { receiver: await peak(pids.receiver), flusher: await peak(pids.flusher) },
    loadRssBytes: {
      receiver: maxOf(rssSamples.receiver.samples),
      flusher: maxOf(rssSamples.flusher.samples),
    },
    cpuSeconds: {
      ...Object.fromEntries(
        Object.entries(cpuAfter).map(([name, after]) => [name, subtract(after, cpuBefore[name] ?? null)]),
      ),
      loadGenerator: (selfCpu.user + selfCpu.system) / 1e6,
      bare: bareRun.cpu,
      bareSame: bareSameRun?.cpu ?? null,
    },
  };
  const counts = checkCounts(figures);
  printReport(figures, counts);
  // A benchmark reports misses without failing; losing acknowledged events is a bug, so that fails.
  return counts.lost > 0 ? 1 : 0;
}

function subtract(after: number | null, before: number | null): number | null {
  return after === null || before === null ? null : after - before;
}

/** Redis commands per accepted event during the measured run (receiver and flusher together). */
function perEvent(
  before: Map<string, number>,
  after: Map<string, number>,
  events: number,
): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [command, calls] of after) {
    const n = calls - (before.get(command) ?? 0) - (command === 'info' ? 1 : 0); // our own INFO
    if (n > 0 && events > 0) result[command] = n / events;
  }
  return result;
}

function seriesDelta(
  after: Map<string, number> | null,
  before: Map<string, number> | null,
): Record<string, number> | null {
  if (after === null) return null;
  const delta: Record<string, number> = {};
  for (const [labels, value] of after) {
    const n = value - (before?.get(labels) ?? 0);
    if (n > 0) delta[/code="([^"]*)"/.exec(labels)?.[1] ?? labels] = n;
  }
  return delta;
}

async function cpuSnapshot(pids: Record<string, number[]>): Promise<Record<string, number | null>> {
  const entries = await Promise.all(
    Object.entries(pids).map(async ([name, group]) => [name, await groupCpuSeconds(group)] as const),
  );
  return Object.fromEntries(entries);
}

async function waitForCount(count: () => Promise<number>, atLeast: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await count()) < atLeast) {
    if (Date.now() > deadline) throw new Error(`ClickHouse did not reach ${atLeast} rows in ${timeoutMs} ms`);
    await sleep(250);
  }
}

async function waitForStable(read: () => Promise<number | null>, quietMs: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (Date.now() < deadline) {
    await sleep(quietMs);
    const now = await read();
    if (now === last) return;
    last = now;
  }
}

async function waitForBacklogZero(samples: Sample[], after: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!samples.some((s) => s.at >= after && s.value === 0) && Date.now() < deadline) await sleep(250);
}

function flushFigures(
  rows0: number,
  final: Sample,
  rows: Sample[],
  backlog: Sample[],
  load: { startedAt: number; endedAt: number; durationS: number },
): FlushFigures {
  const stored = final.value - rows0;
  const lastRowAt = rows.find((s) => s.value >= final.value)?.at ?? final.at;
  const atLoadEnd = rows.filter((s) => s.at <= load.endedAt).at(-1)?.value ?? rows0;
  const duringLoad = backlog.filter((s) => s.at >= load.startedAt && s.at <= load.endedAt);
  // "Still growing" = each of the last five per-second readings of the load is higher than the one before.
  const tail = duringLoad.slice(-5);
  const growing =
    tail.length >= 2 && tail.every((s, i) => i === 0 || s.value > (tail[i - 1]?.value ?? Infinity));
  const zeroAt = backlog.find((s) => s.at >= load.endedAt && s.value === 0)?.at ?? null;
  return {
    stored,
    drainWindowPerS: stored / ((lastRowAt - load.startedAt) / 1000),
    duringLoadPerS: (atLoadEnd - rows0) / load.durationS,
    drainedAfterS: Math.max(0, (lastRowAt - load.endedAt) / 1000),
    backlogMax: Math.max(0, ...backlog.map((s) => s.value)),
    backlogAtLoadEnd: duringLoad.at(-1)?.value ?? null,
    backlogGrowingAtEnd: growing,
    backlogZeroAfterS: zeroAt === null ? null : (zeroAt - load.endedAt) / 1000,
  };
}

let opts: ReturnType<typeof options>;
try {
  opts = options();
} catch (err) {
  console.error(`[bench] ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
  process.exit(2);
}
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}

runBench(
  run,
  () => main(opts),
  () => {
    if (opts.cpuProfileDir) say(`CPU profiles of the receiver and flusher are in ${opts.cpuProfileDir}`);
  },
);
