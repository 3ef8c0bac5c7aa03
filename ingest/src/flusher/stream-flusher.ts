import type { Redis } from 'ioredis';
import type { EventsRepository } from '@sightline/clickhouse';
import { reportError, type Logger } from '@sightline/observability';
import type { FlusherMetrics } from './flusher.metrics';

export interface StreamFlusherOptions {
  stream: string;
  group: string;
  consumer: string;
  batchSize: number;
  intervalMs: number;
  reclaimIdleMs: number;
  maxBackoffMs: number;
  /** Test-only fault injection: die between the ClickHouse insert and the XACK. */
  fault: 'none' | 'exit-after-insert';
}

interface Entry {
  id: string;
  line: string | null;
}

type StreamReply = [string, [string, string[] | null][]][] | null;

/**
 * Moves events from the Redis stream into ClickHouse in batches. An entry is acknowledged (and
 * deleted from the stream) only after the insert that contains it succeeded, so a crash at any
 * point leaves it pending; on restart this consumer re-reads its own pending entries, and
 * entries of a consumer that never comes back are reclaimed after `reclaimIdleMs`. The price is
 * at-least-once delivery: a crash between insert and ack inserts that batch again.
 */
export class StreamFlusher {
  private buffer: Entry[] = [];
  private firstBufferedAt = 0;
  private stopping = false;
  private running: Promise<void> | null = null;
  private lastReclaimAt = 0;
  private failingSince: number | null = null;
  private lastError = '';

  constructor(
    private readonly reader: Redis,
    private readonly redis: Redis,
    private readonly events: EventsRepository,
    private readonly opts: StreamFlusherOptions,
    private readonly metrics: FlusherMetrics,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.running = this.run();
  }

  /** Stops reading, writes what is buffered (once), and resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  notReadyReason(): string | null {
    if (this.failingSince === null) return null;
    const seconds = Math.round((Date.now() - this.failingSince) / 1000);
    return `flushing has failed for ${seconds}s: ${this.lastError}`;
  }

  async backlog(): Promise<number> {
    return this.redis.xlen(this.opts.stream);
  }

  private async run(): Promise<void> {
    await this.withRetry('create consumer group', () => this.ensureGroup());
    await this.withRetry('read own pending entries', () => this.drainOwnPending());
    while (!this.stopping) {
      try {
        await this.reclaimOrphans();
        await this.readMore();
        const due =
          this.buffer.length >= this.opts.batchSize ||
          Date.now() - this.firstBufferedAt >= this.opts.intervalMs;
        if (this.buffer.length > 0 && due) await this.flushWithRetry();
      } catch (err) {
        this.noteFailure('redis', err);
        await sleep(this.backoff(1));
      }
    }
    if (this.buffer.length > 0)
      await this.flushOnce().catch((err: unknown) => this.noteFailure('final flush', err));
  }

  private async ensureGroup(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.opts.stream, this.opts.group, '0', 'MKSTREAM');
    } catch (err) {
      if (!(err instanceof Error && err.message.includes('BUSYGROUP'))) throw err;
    }
  }

  /** After a restart under the same name: entries delivered to us before the crash come first. */
  private async drainOwnPending(): Promise<void> {
    for (;;) {
      const reply = (await this.redis.xreadgroup(
        'GROUP',
        this.opts.group,
        this.opts.consumer,
        'COUNT',
        this.opts.batchSize,
        'STREAMS',
        this.opts.stream,
        '0',
      )) as StreamReply;
      const entries = parseEntries(reply);
      if (entries.length === 0) return;
      this.add(entries);
      await this.flushWithRetry();
      if (this.stopping) return;
    }
  }

  private async reclaimOrphans(): Promise<void> {
    const now = Date.now();
    if (
      now - this.lastReclaimAt < Math.min(this.opts.reclaimIdleMs, 5000) ||
      this.buffer.length >= this.opts.batchSize
    )
      return;
    this.lastReclaimAt = now;
    const reply = (await this.redis.xautoclaim(
      this.opts.stream,
      this.opts.group,
      this.opts.consumer,
      this.opts.reclaimIdleMs,
      '0-0',
      'COUNT',
      this.opts.batchSize - this.buffer.length,
    )) as [string, [string, string[] | null][], string[]?];
    const entries = reply[1].map(([id, fields]) => ({ id, line: fieldValue(fields) }));
    const deleted = reply[2] ?? [];
    if (deleted.length > 0) await this.redis.xack(this.opts.stream, this.opts.group, ...deleted);
    if (entries.length > 0) {
      this.metrics.reclaimed.inc(entries.length);
      this.logger.warn({ count: entries.length }, 'reclaimed entries left pending by another consumer');
      this.add(entries);
    }
  }

  private async readMore(): Promise<void> {
    const room = this.opts.batchSize - this.buffer.length;
    if (room <= 0) return;
    const waited = this.buffer.length === 0 ? 0 : Date.now() - this.firstBufferedAt;
    const block = Math.max(1, this.opts.intervalMs - waited);
    const reply = (await this.reader.xreadgroup(
      'GROUP',
      this.opts.group,
      this.opts.consumer,
      'COUNT',
      room,
      'BLOCK',
      block,
      'STREAMS',
      this.opts.stream,
      '>',
    )) as StreamReply;
    this.add(parseEntries(reply));
  }

  private add(entries: Entry[]): void {
    if (entries.length === 0) return;
    if (this.buffer.length === 0) this.firstBufferedAt = Date.now();
    this.buffer.push(...entries);
  }

  private async flushWithRetry(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.flushOnce();
        return;
      } catch (err) {
        this.metrics.failures.inc();
        this.noteFailure('insert', err);
        if (this.stopping) return; // entries stay pending; the next start re-reads them
        await sleep(this.backoff(attempt));
      }
    }
  }

  private async flushOnce(): Promise<void> {
    const batch = this.buffer;
    const lines = batch.flatMap((e) => (e.line === null ? [] : [e.line]));
    const timer = this.metrics.flushSeconds.startTimer();
    await this.events.insertJsonLines(lines);
    if (this.opts.fault === 'exit-after-insert') process.kill(process.pid, 'SIGKILL');
    const ids = batch.map((e) => e.id);
    await this.redis
      .multi()
      .xack(this.opts.stream, this.opts.group, ...ids)
      .xdel(this.opts.stream, ...ids)
      .exec();
    timer();
    this.buffer = [];
    this.metrics.rowsFlushed.inc(lines.length);
    this.metrics.batches.inc();
    if (this.failingSince !== null) this.logger.info('flushing recovered');
    this.failingSince = null;
  }

  private async withRetry(what: string, fn: () => Promise<void>): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        return await fn();
      } catch (err) {
        this.noteFailure(what, err);
        await sleep(this.backoff(attempt));
      }
    }
  }

  private noteFailure(what: string, err: unknown): void {
    this.lastError = `${what}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    if (this.failingSince === null) reportError(err); // once per outage, not once per retry
    this.failingSince ??= Date.now();
    this.logger.error(
      { err: { message: this.lastError }, pending: this.buffer.length },
      'flusher step failed',
    );
  }

  /** Capped exponential backoff with jitter, so replicas do not retry in lockstep. */
  private backoff(attempt: number): number {
    const base = Math.min(this.opts.maxBackoffMs, 200 * 2 ** Math.min(attempt - 1, 16));
    return base / 2 + Math.random() * (base / 2);
  }
}

function parseEntries(reply: StreamReply): Entry[] {
  const stream = reply?.[0];
  if (!stream) return [];
  return stream[1].map(([id, fields]) => ({ id, line: fieldValue(fields) }));
}

/** Entries carry one field `r`; a null field list means the entry was deleted after delivery. */
function fieldValue(fields: string[] | null): string | null {
  if (!fields) return null;
  const i = fields.indexOf('r');
  return i >= 0 && i + 1 < fields.length ? (fields[i + 1] as string) : null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
