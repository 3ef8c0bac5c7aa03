import cluster, { type Worker } from 'node:cluster';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { IngestConfig } from '@sightline/config';
import type { Logger, Readiness } from '@sightline/observability';

/** IPC between the receiver's primary and its workers (besides prom-client's own metrics messages). */
const READY_REQUEST = 'sightline:receiver:readyz';
const READY_REPLY = 'sightline:receiver:readyz-reply';
const READY_TIMEOUT_MS = 1_000;
const RESTART_DELAY_MS = 500;

/** Each worker has its own spool (a spool file has one writer); slot 0 keeps the configured dir. */
export function workerSpoolDir(config: IngestConfig): string {
  const slot = config.INGEST_WORKER_SLOT ?? 0;
  return slot === 0 ? config.INGEST_SPOOL_DIR : join(config.INGEST_SPOOL_DIR, `worker-${slot}`);
}

/**
 * Spool directories of worker slots beyond INGEST_WORKERS (left by a receiver that ran with more
 * workers), for slot 0 to drain: events acknowledged from a spool are never left behind.
 */
export async function orphanSpoolDirs(config: IngestConfig): Promise<string[]> {
  if ((config.INGEST_WORKER_SLOT ?? 0) !== 0) return [];
  const entries = await readdir(config.INGEST_SPOOL_DIR, { withFileTypes: true }).catch(() => []);
  return entries
    .filter(
      (e) => e.isDirectory() && Number(/^worker-(\d+)$/.exec(e.name)?.[1] ?? -1) >= config.INGEST_WORKERS,
    )
    .map((e) => join(config.INGEST_SPOOL_DIR, e.name));
}

/**
 * In a worker: answer the primary's readiness questions and let prom-client send this worker's
 * registry when the primary renders /metrics.
 */
export function serveWorkerIpc(registry: Registry, readiness: Readiness): void {
  // Constructing one installs prom-client's worker-side listener for the primary's requests.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  process.on('message', (message: { type?: string; id?: number }) => {
    if (message?.type !== READY_REQUEST) return;
    readiness
      .notReadyReason()
      .catch((err: unknown) => `readiness check failed: ${err instanceof Error ? err.message : String(err)}`)
      .then((reason) => process.send?.({ type: READY_REPLY, id: message.id, reason }));
  });
}

/**
 * The primary of a multi-process receiver: forks `INGEST_WORKERS` workers that share the public
 * port (node:cluster hands connections out round-robin), restarts a worker that dies in the same
 * slot (so its spool is drained by its successor), and answers for all of them on the internal
 * port: metrics summed over the workers, ready only when every worker is.
 */
export class ReceiverPrimary {
  private readonly slots = new Map<number, Worker>();
  private readonly aggregator = new AggregatorRegistry();
  private stopping = false;
  private nextRequest = 0;

  constructor(
    private readonly workers: number,
    private readonly logger: Logger,
  ) {}

  /** Resolves once every worker listens on the public port. */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.workers }, (_, slot) => this.fork(slot)));
  }

  /** Renders /metrics: every worker's registry, counters summed (prom-client's cluster aggregation). */
  readonly metrics = {
    contentType: this.aggregator.contentType,
    metrics: () => this.aggregator.clusterMetrics(),
  };

  readonly readiness: Readiness = {
    notReadyReason: async () => {
      const reasons = await Promise.all(
        Array.from({ length: this.workers }, (_, slot) => this.workerReason(slot)),
      );
      return reasons.find((r) => r !== null) ?? null;
    },
  };

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.slots.values()].map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM'); // the worker finishes in-flight requests, then exits
          }),
      ),
    );
  }

  private fork(slot: number): Promise<void> {
    const worker = cluster.fork({ INGEST_WORKER_SLOT: String(slot) });
    this.slots.set(slot, worker);
    worker.once('exit', (code, signal) => {
      if (this.stopping) return;
      this.logger.error({ slot, code, signal }, 'receiver worker exited; starting a new one');
      setTimeout(() => {
        if (!this.stopping) this.fork(slot).catch(() => undefined);
      }, RESTART_DELAY_MS);
    });
    return new Promise((resolve, reject) => {
      worker.once('listening', () => resolve());
      worker.once('exit', (code) => reject(new Error(`receiver worker ${slot} exited with ${code}`)));
    });
  }

  private workerReason(slot: number): Promise<string | null> {
    const worker = this.slots.get(slot);
    if (!worker || worker.isDead() || !worker.isConnected()) return Promise.resolve(`worker ${slot} is down`);
    const id = this.nextRequest++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        worker.off('message', onMessage);
        resolve(`worker ${slot} did not answer`);
      }, READY_TIMEOUT_MS);
      const onMessage = (message: { type?: string; id?: number; reason?: string | null }) => {
        if (message?.type !== READY_REPLY || message.id !== id) return;
        clearTimeout(timer);
        worker.off('message', onMessage);
        resolve(message.reason ? `worker ${slot}: ${message.reason}` : null);
      };
      worker.on('message', onMessage);
      worker.send({ type: READY_REQUEST, id });
    });
  }
}
