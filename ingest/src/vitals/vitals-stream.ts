import type { Redis } from 'ioredis';

/** The stream the flusher moves into `web_vitals`: the events stream's name + `:vitals`. */
export function vitalsStreamKey(eventsStream: string): string {
  return `${eventsStream}:vitals`;
}

/**
 * Appends vitals rows to their Redis stream (field `r`, one JSONEachRow line, like events). There
 * is no disk spool for vitals: while Redis is down the receiver answers 503 (nothing is stored),
 * and the beacon is lost, which costs one sample of a p75, never an event.
 */
export class VitalsStream {
  constructor(
    private readonly redis: Redis,
    readonly key: string,
  ) {}

  async append(line: string): Promise<void> {
    await this.redis.xadd(this.key, '*', 'r', line);
  }
}
