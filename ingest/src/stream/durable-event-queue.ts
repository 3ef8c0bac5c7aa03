import type { Logger } from '@sightline/observability';
import { IngestError } from '../intake/ingest-error';
import { SpoolFullError, type DiskSpool } from '../spool/disk-spool';
import type { BatchedEventAppender, SessionedEvent } from './batched-event-appender';
import type { EventStream } from './event-stream';

export interface QueuedEvent extends SessionedEvent {
  /** The complete line with a locally decided session, for when the event must go to the spool. */
  spoolLine(): string;
}

/**
 * Puts accepted events somewhere durable: the Redis stream when it answers, otherwise the local
 * disk spool. While the spool holds anything, new events go behind it, so the stream receives
 * events in the order they were accepted. A background loop moves the spool into the stream
 * whenever Redis is back (also right after a restart).
 */
export class DurableEventQueue {
  private draining: NodeJS.Timeout | null = null;
  private drainRunning = false;
  private spooling = false;

  constructor(
    private readonly appender: BatchedEventAppender,
    private readonly stream: EventStream,
    private readonly spool: DiskSpool,
    private readonly logger: Logger,
    private readonly onSpooled: () => void,
  ) {}

  async enqueue(event: QueuedEvent, chargeSite: (siteId: number) => Promise<void>): Promise<void> {
    if (!this.spool.hasData()) {
      try {
        await this.appender.append(event);
        return;
      } catch (err) {
        if (err instanceof IngestError) throw err; // e.g. the site's rate limit
        if (!this.spooling) {
          this.logger.warn(
            { err: { message: errorMessage(err) } },
            'redis unavailable: spooling events to disk',
          );
        }
        this.spooling = true;
      }
    }
    await chargeSite(event.siteId); // the limiter falls back to memory while Redis is away
    try {
      await this.spool.append(event.spoolLine());
    } catch (err) {
      if (!(err instanceof SpoolFullError)) throw err;
      throw new IngestError(503, 'unavailable', 'Event buffer unavailable, retry later', 5);
    }
    this.onSpooled();
  }

  get spoolBacklogBytes(): number {
    return this.spool.backlogBytes;
  }

  spoolIsFull(): boolean {
    return this.spool.isFull();
  }

  startDraining(redisReady: () => boolean, intervalMs = 200): void {
    this.draining = setInterval(() => {
      if (this.drainRunning || !this.spool.hasData() || !redisReady()) return;
      this.drainRunning = true;
      this.drainAll()
        .catch((err: unknown) =>
          this.logger.warn({ err: { message: errorMessage(err) } }, 'spool drain paused'),
        )
        .finally(() => (this.drainRunning = false));
    }, intervalMs);
  }

  async stop(): Promise<void> {
    if (this.draining) clearInterval(this.draining);
    while (this.drainRunning) await new Promise((r) => setTimeout(r, 10));
    await this.spool.close();
  }

  private async drainAll(): Promise<void> {
    let moved = 0;
    for (;;) {
      const n = await this.spool.drainChunk((lines) => this.stream.appendReplayed(lines));
      if (n === 0) break;
      moved += n;
    }
    if (moved > 0) this.logger.info({ moved }, 'disk spool drained into the stream');
    if (!this.spool.hasData()) this.spooling = false;
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
