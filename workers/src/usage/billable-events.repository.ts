import { Inject, Injectable } from '@nestjs/common';
import { joinSql, sql, type ClickHouseClient } from '@sightline/clickhouse';
import { CLICKHOUSE } from '../jobs/tokens';

export interface SiteCycles {
  siteId: number;
  /** Ascending cycle boundaries: cycle i is [boundaries[i], boundaries[i+1]). Same length for every site. */
  boundaries: readonly Date[];
}

export interface SiteCycleCount {
  siteId: number;
  /** Index into the site's cycles (0 = oldest). */
  cycle: number;
  events: number;
}

/**
 * Billable events are every stored event: pageviews and custom events of any name, but not
 * engagement pings (rows named `engagement`, sent when a page is hidden). One query
 * covers all sites, each with its own org's cycle boundaries, looked up by the site's position in
 * literal arrays (`indexOf`), so the cost is one scan however many orgs there are.
 */
@Injectable()
export class BillableEventsRepository {
  constructor(@Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient) {}

  async countBySiteAndCycle(sites: readonly SiteCycles[]): Promise<SiteCycleCount[]> {
    if (sites.length === 0) return [];
    const width = sites[0]?.boundaries.length ?? 0;
    if (width < 2 || sites.some((s) => s.boundaries.length !== width))
      throw new Error('countBySiteAndCycle: every site needs the same number (>= 2) of boundaries');
    const ids = sites.map((s) => s.siteId);
    const seconds = (i: number) => sites.map((s) => Math.floor((s.boundaries[i] as Date).getTime() / 1000));
    const at = (i: number) => sql`${seconds(i)}[indexOf(${ids}, site_id)]`;
    // Cycle index = how many inner boundaries the event is at or after.
    const cycle = Array.from(
      { length: width - 2 },
      (_, k) => sql`(toUInt32(timestamp) >= ${at(k + 1)})`,
    ).reduce((sum, term) => sql`${sum} + ${term}`, sql`0`);
    const idList = joinSql(
      ids.map((id) => sql`${id}`),
      ', ',
    );
    const earliest = new Date(Math.min(...seconds(0)) * 1000);
    const query = sql`SELECT site_id, ${cycle} AS cycle, count() AS events
      FROM events
      WHERE site_id IN (${idList}) AND timestamp >= ${earliest} AND name != 'engagement'
        AND toUInt32(timestamp) >= ${at(0)} AND toUInt32(timestamp) < ${at(width - 1)}
      GROUP BY site_id, cycle`;
    const rs = await this.clickhouse.query({ query: query.text, format: 'JSONEachRow' });
    const rows = await rs.json<{
      site_id: string | number;
      cycle: string | number;
      events: string | number;
    }>();
    return rows.map((r) => ({ siteId: Number(r.site_id), cycle: Number(r.cycle), events: Number(r.events) }));
  }
}
