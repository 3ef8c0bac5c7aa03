import { Inject, Injectable } from '@nestjs/common';
import { sql, type ClickHouseClient } from '@sightline/clickhouse';
import { CLICKHOUSE } from '../common/tokens';

/** ClickHouse writes the API does itself; all reads go through the query engine. */
@Injectable()
export class StatsRepository {
  constructor(@Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient) {}

  async deleteSiteEvents(siteId: number): Promise<void> {
    await this.clickhouse.command({ query: sql`ALTER TABLE events DELETE WHERE site_id = ${siteId}`.text });
  }
}
