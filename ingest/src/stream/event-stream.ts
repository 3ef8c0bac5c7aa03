import type { Redis } from 'ioredis';

/**
 * The Redis stream between receiver and flusher; each entry holds one JSONEachRow line in field `r`.
 * Live events are appended by BatchedEventAppender's script; this class replays spooled lines.
 */
export class EventStream {
  constructor(
    private readonly redis: Redis,
    readonly key: string,
  ) {}

  /** Lines replayed from a receiver's disk spool, in order, marked `s=1`: they may be duplicates. */
  async appendReplayed(lines: readonly string[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const line of lines) pipeline.xadd(this.key, '*', 'r', line, 's', '1');
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
  }
}
