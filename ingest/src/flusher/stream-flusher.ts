import type { Redis } from 'ioredis';
import { isRowDataError, type EventsRepository, type StoredEventKey } from '@sightline/clickhouse';
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
  /** Called with the JSON lines of each batch once it is stored (live dashboards). */
  onStored?: (lines: string[]) => void;
}

interface Entry {
  id: string;
  line: string | null;
  /**
   * The row may already be in ClickHouse: re-delivered after a crash, reclaimed, replayed from a
   * receiver's spool, or part of an insert that failed in a way that may still have committed.
   */
  suspect: boolean;
}

type StreamReply = [string, [string, string[] | null][]][] | null;

/**
 * Moves events from the Redis stream into ClickHouse in batches. An entry is acknowledged (and
 * deleted from the stream) only after the insert that contains it succeeded, so a crash at any
 * point leaves it pending; on restart this consumer re-reads its own pending entries, and
 * entries of a consumer that never comes back are reclaimed after `reclaimIdleMs`.
 *
 * Retries are idempotent: before a batch holding suspect entries is inserted, the rows whose
 * `event_id` ClickHouse already has are left out. A row ClickHouse rejects as data is isolated by
 * splitting the batch and moved to the dead-letter stream `<stream>:dead` with its error, so one bad
 * row never blocks the others.
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
    /** Where rows go: EventsRepository, or WebVitalsRepository for the vitals stream. */
    private readonly events: Pick<EventsRepository, 'insertJsonLines' | 'findStoredEventIds'>,
    private readonly opts: StreamFlusherOptions,
    private readonly metrics: FlusherMetrics,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.running = this.run();
  }

  /** Stops reading, writes what is buffered (once), and resolves when the loop has ended. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    // A call stuck on an unreachable Redis must not keep the process alive: unacknowledged
    // entries stay pending and the next start re-reads them, so giving up loses nothing.
    await Promise.race([this.running, sleep(timeoutMs)]);
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
        // A Redis that lost its data (no persistence, failover) lost the group too: recreate it.
        if (err instanceof Error && err.message.includes('NOGROUP'))
          await this.ensureGroup().catch(() => undefined);
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
      const entries = parseEntries(reply, true);
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
    const entries = reply[1].map(([id, fields]) => ({ id, line: fieldValue(fields), suspect: true }));
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
    this.add(parseEntries(reply, false));
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
        // A failed request may still have committed (e.g. a timeout after the server wrote it).
        for (const entry of this.buffer) entry.suspect = true;
        if (this.stopping) return; // entries stay pending; the next start re-reads them
        await sleep(this.backoff(attempt));
      }
    }
  }

  private async flushOnce(): Promise<void> {
    const batch = this.buffer;
    const timer = this.metrics.flushSeconds.startTimer();
    const toInsert = await this.withoutStoredRows(batch.filter((e) => e.line !== null));
    await this.insertIsolatingBadRows(toInsert);
    if (this.opts.fault === 'exit-after-insert') process.kill(process.pid, 'SIGKILL');
    const ids = batch.map((e) => e.id);
    await this.redis
      .multi()
      .xack(this.opts.stream, this.opts.group, ...ids)
      .xdel(this.opts.stream, ...ids)
      .exec();
    timer();
    this.buffer = [];
    this.metrics.rowsFlushed.inc(toInsert.length);
    if (toInsert.length > 0) this.opts.onStored?.(toInsert.map((e) => e.line as string));
    this.metrics.batches.inc();
    if (this.failingSince !== null) this.logger.info('flushing recovered');
    this.failingSince = null;
  }

  /**
   * Leaves out suspect entries whose event id ClickHouse already has, or that another entry of
   * this batch carries (a spool replay next to the original XADD whose reply was lost).
   */
  private async withoutStoredRows(entries: Entry[]): Promise<Entry[]> {
    const keys = new Map<string, StoredEventKey>();
    for (const entry of entries) {
      const key = entry.suspect ? eventKey(entry.line) : null;
      if (key) keys.set(entry.id, key);
    }
    if (keys.size === 0) return entries;
    const stored = await this.events.findStoredEventIds([...keys.values()]);
    const seen = new Set<string>(stored);
    // Unsuspected entries are kept whatever happens, so their ids count as seen first.
    for (const entry of entries) if (!keys.has(entry.id)) seen.add(eventIdOf(entry.line) ?? '');
    const kept = entries.filter((e) => {
      const id = keys.get(e.id)?.eventId.toString();
      if (id === undefined) return true;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    if (kept.length === entries.length) return entries;
    this.metrics.duplicatesSkipped.inc(entries.length - kept.length);
    this.logger.warn(
      { skipped: entries.length - kept.length },
      'skipped rows already stored by an earlier attempt or twice in the batch',
    );
    return kept;
  }

  /**
   * Inserts the entries; when ClickHouse rejects the data, halves the batch until the bad rows are
   * alone and dead-letters them. Any other error propagates, and the whole batch is retried.
   */
  private async insertIsolatingBadRows(entries: Entry[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      await this.events.insertJsonLines(entries.map((e) => e.line as string));
    } catch (err) {
      if (!isRowDataError(err)) throw err;
      if (entries.length === 1) return this.deadLetter(entries[0] as Entry, err);
      const middle = Math.ceil(entries.length / 2);
      await this.insertIsolatingBadRows(entries.slice(0, middle));
      // The first half is stored: if the second half fails for another reason, the retry must
      // not store it twice.
      for (const entry of entries) entry.suspect = true;
      await this.insertIsolatingBadRows(entries.slice(middle));
    }
  }

  private async deadLetter(entry: Entry, err: unknown): Promise<void> {
    const error = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
    await this.redis.xadd(
      `${this.opts.stream}:dead`,
      '*',
      'r',
      entry.line ?? '',
      'error',
      error,
      'source_id',
      entry.id,
    );
    this.metrics.deadLettered.inc();
    this.logger.error(
      { entryId: entry.id, error },
      'row rejected by ClickHouse moved to the dead-letter stream',
    );
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

function parseEntries(reply: StreamReply, suspect: boolean): Entry[] {
  const stream = reply?.[0];
  if (!stream) return [];
  // Receivers mark entries replayed from their disk spool with `s=1`: they may be there twice.
  return stream[1].map(([id, fields]) => ({
    id,
    line: fieldValue(fields),
    suspect: suspect || fieldValue(fields, 's') === '1',
  }));
}

/** site, time and id of a row line, or null when the line is not a row we wrote. */
function eventKey(line: string | null): StoredEventKey | null {
  if (line === null) return null;
  try {
    const row = JSON.parse(line) as { site_id?: unknown; timestamp?: unknown };
    const eventId = eventIdOf(line);
    if (!eventId || eventId === '0' || typeof row.site_id !== 'number' || typeof row.timestamp !== 'string')
      return null;
    return { siteId: row.site_id, eventId: BigInt(eventId), timestamp: row.timestamp };
  } catch {
    return null;
  }
}

/** The exact 64-bit digits of a row line's leading event_id (not a float), without parsing it all. */
function eventIdOf(line: string | null): string | null {
  return line === null ? null : (/^\{"event_id":(\d+),/.exec(line)?.[1] ?? null);
}

/** Entries carry the row in field `r`; a null field list means the entry was deleted after delivery. */
function fieldValue(fields: string[] | null, name = 'r'): string | null {
  if (!fields) return null;
  const i = fields.indexOf(name);
  return i >= 0 && i + 1 < fields.length ? (fields[i + 1] as string) : null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
