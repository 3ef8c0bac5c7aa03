import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { sql, type ClickHouseClient } from '@sightline/clickhouse';
import type { WorkersConfig } from '@sightline/config';
import { CLICKHOUSE, REDIS, WORKERS_CONFIG } from '../jobs/tokens';

export interface DigestFigures {
  signUps: number;
  newSites: number;
  eventsIngested: number;
  deadLettered: number;
  failedJobs: { name: string; failedReason: string }[];
}

/** The operator's daily numbers from every store. Staff-only aggregates across all tenants. */
@Injectable()
export class StaffDigestRepository {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(WORKERS_CONFIG) private readonly config: WorkersConfig,
  ) {}

  async figures(since: Date, until: Date): Promise<DigestFigures> {
    const [users, sites] = (await Promise.all([
      this.dataSource.query('SELECT count(*) AS c FROM users WHERE created_at >= $1 AND created_at < $2', [
        since,
        until,
      ]),
      this.dataSource.query(
        'SELECT count(*) AS c FROM sites WHERE created_at >= $1 AND created_at < $2 AND deleted_at IS NULL',
        [since, until],
      ),
    ])) as [{ c: string }[], { c: string }[]];
    const rs = await this.clickhouse.query({
      query:
        sql`SELECT count() AS c FROM events WHERE timestamp >= ${since} AND timestamp < ${until} AND name != 'engagement'`
          .text,
      format: 'JSONEachRow',
    });
    const events = Number((await rs.json<{ c: string }>())[0]?.c ?? 0);
    const deadLettered = (await this.redis.exists(this.config.DEAD_LETTER_KEY))
      ? await this.redis.xlen(this.config.DEAD_LETTER_KEY)
      : 0;
    const queue = new Queue(this.config.WORKERS_QUEUE, { connection: this.redis.duplicate() });
    try {
      const failed = await queue.getFailed(0, 500);
      return {
        signUps: Number(users[0]?.c ?? 0),
        newSites: Number(sites[0]?.c ?? 0),
        eventsIngested: events,
        deadLettered,
        failedJobs: failed
          .filter((j) => (j.finishedOn ?? 0) >= since.getTime())
          .map((j) => ({ name: j.name, failedReason: j.failedReason.slice(0, 200) })),
      };
    } finally {
      await queue.close();
    }
  }

  /** True the first time it is called for `day` (a Redis marker), so a digest goes out once a day. */
  async claimDay(day: string): Promise<boolean> {
    return (
      (await this.redis.set(
        `${this.config.WORKERS_QUEUE}:staff-digest:${day}`,
        '1',
        'EX',
        3 * 86400,
        'NX',
      )) === 'OK'
    );
  }

  async releaseDay(day: string): Promise<void> {
    await this.redis.del(`${this.config.WORKERS_QUEUE}:staff-digest:${day}`);
  }
}
