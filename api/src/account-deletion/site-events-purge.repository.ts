import { Inject, Injectable } from '@nestjs/common';
import { sql, type ClickHouseClient } from '@sightline/clickhouse';
import { CLICKHOUSE } from '../common/tokens';

/** Removes deleted sites' events from ClickHouse: one mutation for a whole batch of sites. */
@Injectable()
export class SiteEventsPurgeRepository {
  constructor(@Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient) {}

  async deleteEventsOf(siteIds: readonly number[]): Promise<void> {
    if (siteIds.length === 0) return;
    await this.clickhouse.command({
      query: sql`ALTER TABLE events DELETE WHERE has(${siteIds}, site_id)`.text,
    });
  }
}
