// The chaos run as a function, so `npm run chaos:ingest` and a shorter integration test share it:
// private stores → migrations → receiver + flusher → load with faults → drain → counts.
// Everything it starts is undone in reverse order, whether the run passes, fails or is aborted.
// Stores and services come from the shared harness (@sightline/harness).
import { randomBytes } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { join } from 'node:path';
import { createClickHouseClient, sql, type ClickHouseClient } from '@sightline/clickhouse';
import { CleanupStack, ingestRun, insertSites, startRunStores } from '@sightline/harness';
import type { ChaosOptions } from './chaos-options';
import { computeFindings, type ChaosResult } from './chaos-report';
import { EventSender } from './event-sender';
import { planFaults, runFaults, seconds } from './fault-schedule';
import { IngestProcess, readMetric } from './ingest-services';
import { PostgresLink } from './postgres-link';

const DOMAIN = 'chaos.test';
const CLICKHOUSE_DATABASE = 'sightline_chaos';

export type { ChaosOptions } from './chaos-options';
export { defaultOptions, SHORT_PROFILE } from './chaos-options';
export type { ChaosResult } from './chaos-report';

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const runStarted = Date.now();
  const print = options.log ?? ((line: string) => console.log(line));
  let loadStarted = 0;
  const sinceLoad = () => (loadStarted === 0 ? 0 : Date.now() - loadStarted);
  const say = (msg: string) => {
    const clock = new Date().toISOString().slice(11, 23);
    const offset = loadStarted === 0 ? 'set-up' : `+${(sinceLoad() / 1000).toFixed(1)}s`;
    print(`[chaos ${clock} ${offset.padStart(7)}] ${msg}`);
  };

  // Our own controller: an error in one part (faults) must stop the others (load) too.
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const signal = controller.signal;

  const runDir = join(options.dataRoot, `run-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`);
  mkdirSync(join(runDir, 'logs'), { recursive: true });
  const serviceLogPath = join(runDir, 'logs', 'services.log');
  const serviceLog = createWriteStream(serviceLogPath, { flags: 'a' });
  const cleanup = new CleanupStack(say);
  // If the chaos process dies without running its cleanup, its children must not outlive it.
  const killers: (() => void)[] = [];
  const onExit = () => killers.forEach((kill) => kill());
  process.on('exit', onExit);

  try {
    say(`run folder ${runDir}`);
    // Redis persists like production (AOF): its outage is a graceful stop, and the stream survives it.
    const stores = await startRunStores({
      kind: 'chaos',
      runDir,
      clickhouseDatabase: CLICKHOUSE_DATABASE,
      cleanup,
      postgresUrl: options.postgresAdminUrl,
      persistentRedis: true,
      detached: true,
      onOutput: (line) => serviceLog.write(`${line}\n`),
    });
    const { redis, clickhouse } = stores;
    killers.push(
      () => redis.killNow(),
      () => clickhouse.killNow(),
    );
    const [siteId] = await insertSites(stores.env.DATABASE_URL, [DOMAIN], 'chaos');
    if (siteId === undefined) throw new Error(`site ${DOMAIN} was not created`);
    signal.throwIfAborted();
    say(
      `private stores up and migrated: redis ${redis.url}, clickhouse ${clickhouse.url}, postgres ${new URL(stores.env.DATABASE_URL).pathname.slice(1)}; site ${DOMAIN} has id ${siteId}`,
    );

    const postgres = await PostgresLink.create(stores.env.DATABASE_URL);
    killers.push(() => postgres.killNow());
    cleanup.push('close postgres link', () => postgres.stop());
    const ingest = await ingestRun(stores.env, {
      runDir,
      // Stable, like a StatefulSet pod: a restarted flusher re-reads its own pending entries first.
      consumer: 'chaos-flusher',
      extra: {
        DATABASE_URL: postgres.url,
        // Much shorter than the Postgres outage: decisions go stale during it and must be served anyway.
        SITE_CACHE_TTL_MS: '2000',
        FLUSH_RECLAIM_IDLE_MS: '2000',
        FLUSH_MAX_BACKOFF_MS: '2000',
        INGEST_WORKERS: String(options.receiverWorkers),
      },
    });
    const { ports, spoolDir, env } = ingest;
    mkdirSync(spoolDir, { recursive: true });

    const receiver = new IngestProcess('receiver', env, ports.receiver, serviceLog, sinceLoad, say);
    const flusher = new IngestProcess('flusher', env, ports.flusherMetrics, serviceLog, sinceLoad, say);
    killers.push(
      () => receiver.killNow(),
      () => flusher.killNow(),
    );
    // Pushed after the stores, so they stop before the stores do (reverse order).
    cleanup.push('stop receiver', () => receiver.stop());
    cleanup.push('stop flusher', () => flusher.stop());
    await Promise.all([receiver.start(), flusher.start()]);
    signal.throwIfAborted();
    say(`receiver on 127.0.0.1:${ports.receiver}, flusher metrics on 127.0.0.1:${ports.flusherMetrics}`);

    const plan = planFaults(options);
    say(
      `plan (seed ${options.seed}): ${plan.map((f) => `${f.kind}@${(f.atMs / 1000).toFixed(1)}s${f.forMs ? `/${seconds(f.forMs)}` : ''}`).join(', ') || 'no faults'}`,
    );
    const sender = new EventSender({
      baseUrl: `http://127.0.0.1:${ports.receiver}`,
      domain: DOMAIN,
      ratePerSecond: options.ratePerSecond,
      concurrency: options.concurrency,
      maxEvents: options.maxEvents,
      maxAttempts: options.maxAttempts,
      loadMs: options.loadMs,
      retryGraceMs: options.retryGraceMs,
      requestTimeoutMs: 5000,
    });
    const setupMs = Date.now() - runStarted;
    loadStarted = Date.now();
    say(
      `load: ${options.ratePerSecond} events/s for ${seconds(options.loadMs)} (at most ${options.maxEvents}), ${options.concurrency} in flight`,
    );
    let lastProgress = 0;
    const progress = (elapsedMs: number) => {
      if (elapsedMs - lastProgress < 10_000) return;
      lastProgress = elapsedMs;
      let acked = 0;
      for (const rec of sender.ledger.values()) if (rec.ackedAtMs !== null) acked += 1;
      say(`sent ${sender.ledger.size}, acknowledged ${acked}, waiting to retry ${sender.pendingRetries}`);
    };
    // How much the outages really piled up: proof that the spool and the stream were exercised.
    const peaks = { spoolBytes: 0, streamBacklog: 0 };
    const flusherMetricsUrl = `http://127.0.0.1:${ports.flusherMetrics}/metrics`;
    let sampling = false;
    const sampler = setInterval(() => {
      if (sampling) return;
      sampling = true;
      peaks.spoolBytes = Math.max(peaks.spoolBytes, spoolUsage(spoolDir).waitingBytes);
      void readMetric(flusherMetricsUrl, 'sightline_flusher_stream_backlog').then((backlog) => {
        peaks.streamBacklog = Math.max(peaks.streamBacklog, backlog ?? 0);
        sampling = false;
      });
    }, 500);
    cleanup.push('stop sampling', async () => clearInterval(sampler));
    const loadDone = sender.run(signal, progress).then(() => {
      if (!signal.aborted)
        say(`load stopped; unacknowledged events settled ${seconds(sender.retryTailMs)} later`);
    });
    const faultsDone = runFaults(
      plan,
      { redis, clickhouse, postgres, receiver, flusher },
      sinceLoad,
      say,
      signal,
    ).catch((err: unknown) => {
      controller.abort(); // a fault that cannot be undone ends the load too
      throw err;
    });
    const [loaded, faulted] = await Promise.allSettled([loadDone, faultsDone]);
    if (options.signal?.aborted) throw new Error('aborted');
    if (faulted.status === 'rejected') throw faulted.reason;
    if (loaded.status === 'rejected') throw loaded.reason;
    const faults = faulted.value;
    const loadMs = Math.min(options.loadMs, Date.now() - loadStarted);
    clearInterval(sampler);

    const ch = createClickHouseClient({ url: clickhouse.url, database: CLICKHOUSE_DATABASE });
    cleanup.push('close clickhouse client', () => ch.close());
    say('waiting for the drain: stream backlog 0, spool empty, ClickHouse count stable for 5 s');
    const drainStarted = Date.now();
    const drain = await waitForDrain({
      flusherMetricsUrl,
      spoolDir,
      count: () => countRows(ch, siteId),
      timeoutMs: options.drainTimeoutMs,
      signal,
      say,
    });
    const drainMs = Date.now() - drainStarted;
    say(
      drain.drained
        ? `drained in ${seconds(drainMs)}`
        : `drain incomplete after ${seconds(drainMs)}: ${drain.state}`,
    );

    const stored = await storedSeqs(ch, siteId);
    const findings = computeFindings(sender.ledger, stored);
    if (findings.lost > 0)
      say(`service log tail (${serviceLogPath}):\n${await tailOf(serviceLog, serviceLogPath)}`);
    return {
      ...findings,
      seed: options.seed,
      faults,
      unexpectedExits: [...receiver.unexpectedExits, ...flusher.unexpectedExits],
      responses: Object.fromEntries(sender.outcomes),
      rowsInClickHouse: stored.reduce((sum, row) => sum + row.count, 0),
      peaks,
      drained: drain.drained,
      drainState: drain.state,
      timings: { setupMs, loadMs, retryTailMs: sender.retryTailMs, drainMs },
    };
  } finally {
    controller.abort(); // stops anything still running in the background
    options.signal?.removeEventListener('abort', onOuterAbort);
    await cleanup.run();
    await new Promise<void>((resolve) => serviceLog.end(resolve));
    if (options.keepData) say(`kept ${runDir}`);
    else removeRunDir(runDir, options.dataRoot);
    process.off('exit', onExit);
  }
}

async function waitForDrain(opts: {
  flusherMetricsUrl: string;
  spoolDir: string;
  count: () => Promise<number>;
  timeoutMs: number;
  signal: AbortSignal;
  say: (msg: string) => void;
}): Promise<{ drained: boolean; state: string }> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastCount: number | null = null;
  let stableSince = Date.now();
  let lastReport = Date.now();
  while (!opts.signal.aborted) {
    const backlog = await readMetric(opts.flusherMetricsUrl, 'sightline_flusher_stream_backlog');
    const spool = spoolUsage(opts.spoolDir);
    const count = await opts.count().catch(() => null);
    if (count !== lastCount) {
      lastCount = count;
      stableSince = Date.now();
    }
    const stableMs = Date.now() - stableSince;
    const state = `stream backlog ${backlog ?? 'unreadable'}, spool ${spool.waitingBytes} B waiting (${spool.files} file(s), ${spool.bytes} B), ClickHouse ${count ?? 'unreachable'} rows (stable ${seconds(stableMs)})`;
    if (backlog === 0 && spool.waitingBytes === 0 && count !== null && stableMs >= 5000)
      return { drained: true, state };
    if (Date.now() >= deadline) return { drained: false, state };
    if (Date.now() - lastReport >= 10_000) {
      lastReport = Date.now();
      opts.say(`draining: ${state}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error('aborted');
}

/**
 * What the spool directory holds. The receiver is a black box, so "empty" is judged from the
 * files: a drained spool may keep small bookkeeping files (a read offset, an empty segment), but
 * no event row fits in 64 bytes, so only files larger than that count as events waiting.
 */
function spoolUsage(dir: string): { files: number; bytes: number; waitingBytes: number } {
  let files = 0;
  let bytes = 0;
  let waitingBytes = 0;
  if (!existsSync(dir)) return { files, bytes, waitingBytes };
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    try {
      const size = statSync(join(entry.parentPath, entry.name)).size;
      files += 1;
      bytes += size;
      if (size > 64) waitingBytes += size;
    } catch {
      // Removed between listing and stat: the spool is being drained right now.
    }
  }
  return { files, bytes, waitingBytes };
}

async function countRows(ch: ClickHouseClient, siteId: number): Promise<number> {
  const rs = await ch.query({
    query: sql`SELECT count() AS c FROM events WHERE site_id = ${siteId}`.text,
    format: 'JSONEachRow',
  });
  const rows = await rs.json<{ c: string }>();
  return Number(rows[0]?.c ?? 0);
}

async function storedSeqs(ch: ClickHouseClient, siteId: number): Promise<{ seq: number; count: number }[]> {
  const rs = await ch.query({
    query: sql`SELECT toUInt64(props_values[indexOf(props_keys, 'seq')]) AS seq, count() AS c
      FROM events WHERE site_id = ${siteId} GROUP BY seq`.text,
    format: 'JSONEachRow',
  });
  const rows = await rs.json<{ seq: string; c: string }>();
  return rows.map((r) => ({ seq: Number(r.seq), count: Number(r.c) }));
}

async function tailOf(stream: WriteStream, path: string): Promise<string> {
  await new Promise<void>((resolve) => stream.write('', () => resolve()));
  return readFileSync(path, 'utf8').trim().split('\n').slice(-40).join('\n');
}

/** Removes this run's folder, and `.data/chaos` itself when no other run is using it. */
function removeRunDir(runDir: string, dataRoot: string): void {
  rmSync(runDir, { recursive: true, force: true });
  try {
    if (readdirSync(dataRoot).length === 0) rmSync(dataRoot, { recursive: true, force: true });
  } catch {
    // Already gone.
  }
}
