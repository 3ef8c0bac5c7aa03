import type { Redis } from 'ioredis';

/** The Redis stream between receiver and flusher; each entry holds one JSONEachRow line in field `r`. */
export class EventStream {
  constructor(
    private readonly redis: Redis,
    readonly key: string,
  ) {}

  async append(line: string): Promise<void> {
    await this.redis.xadd(this.key, '*', 'r', line);
  }
}
