// What the query bench times: the Stats API v2 requests the dashboard sends on opening a site
// (dashboard/src/app/(app)/sites/[domain]: top-cards.tsx, visitor-chart.tsx, breakdown-panel.tsx,
// realtime badge), plus the baseline — the cheapest full scan of the same site and date range.
import { sql, type ClickHouseClient } from '@sightline/clickhouse';
import {
  parseQuery,
  sampleDenominatorOf,
  type AuthorizedSite,
  type QueryEngine,
  type QueryRequest,
} from '@sightline/query';

/** The dashboard's default period. */
export const BENCH_DATE_RANGE = '30d';

/** One site's view of the stores: the engine and the client it was built with. */
export interface BenchContext {
  engine: QueryEngine;
  client: ClickHouseClient;
  site: AuthorizedSite;
  /** The clock every run uses, so every run asks for the same range. */
  now: Date;
}

export interface QueryCase {
  label: string;
  /** Runs the request once; returns a short description of the result (a sanity check). */
  run(ctx: BenchContext): Promise<string>;
}

/** A breakdown panel's request: top rows by visitors, one more than shown to know about "Show more". */
function breakdown(domain: string, dimension: 'event:page' | 'visit:source' | 'visit:country'): QueryRequest {
  return {
    site_id: domain,
    metrics: ['visitors'],
    date_range: BENCH_DATE_RANGE,
    dimensions: [dimension],
    filters: [],
    order_by: [['visitors', 'desc']],
    pagination: { limit: 10 },
  };
}

function statsCase(label: string, request: (domain: string) => QueryRequest): QueryCase {
  return {
    label,
    async run({ engine, site, now }) {
      const response = await engine.run(site, request(site.domain), { now });
      const rows = response.results.length;
      const total = response.meta.total_rows;
      const sampled = response.meta.sampling
        ? `, sampled 1/${sampleDenominatorOf(response.meta.sampling)}`
        : '';
      return (
        (total === undefined ? `${rows} row${rows === 1 ? '' : 's'}` : `${rows} of ${total} rows`) + sampled
      );
    },
  };
}

export const QUERY_CASES: readonly QueryCase[] = [
  // top-cards.tsx
  statsCase('top cards: 5 metrics vs previous period', (domain) => ({
    site_id: domain,
    metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration'],
    date_range: BENCH_DATE_RANGE,
    filters: [],
    include: { comparisons: { mode: 'previous_period' } },
  })),
  // visitor-chart.tsx (Compare unticked, the default)
  statsCase('timeseries: visitors by time:day', (domain) => ({
    site_id: domain,
    metrics: ['visitors'],
    date_range: BENCH_DATE_RANGE,
    dimensions: ['time:day'],
    filters: [],
    include: { time_labels: true, comparisons: null },
  })),
  // breakdown-panel.tsx, one per panel's first tab
  statsCase('top pages: event:page, limit 10', (domain) => breakdown(domain, 'event:page')),
  statsCase('sources: visit:source, limit 10', (domain) => breakdown(domain, 'visit:source')),
  statsCase('countries: visit:country, limit 10', (domain) => breakdown(domain, 'visit:country')),
  // The Pages panel's "Entry pages" tab after clicking the Google source, paged as the public API allows.
  statsCase('entry pages: source=Google, page 2 of 5, total_rows', (domain) => ({
    site_id: domain,
    metrics: ['visitors'],
    date_range: BENCH_DATE_RANGE,
    dimensions: ['visit:entry_page'],
    filters: [['is', 'visit:source', ['Google']]],
    order_by: [['visitors', 'desc']],
    include: { total_rows: true },
    pagination: { limit: 5, offset: 5 },
  })),
  // The realtime badge (GET /api/sites/:domain/realtime and the realtime socket).
  {
    label: 'realtime: current visitors (last 5 min)',
    async run({ engine, site, now }) {
      const visitors = await engine.currentVisitors(site, { now });
      return `${visitors} visitor${visitors === 1 ? '' : 's'}`;
    },
  },
];

/** The range the engine resolves for the dashboard's default period (in the site's timezone). */
export function benchRange(site: AuthorizedSite, now: Date): { from: Date; to: Date } {
  const { range } = parseQuery(
    site,
    { site_id: site.domain, metrics: ['visitors'], date_range: BENCH_DATE_RANGE },
    { now, firstEventAt: null },
  );
  return { from: range.from, to: range.to };
}

/**
 * The baseline: the cheapest statement that still reads every row of the site in the range,
 * sent through the same client and parsed the same way (JSONEachRow) as the engine's queries.
 */
export const BASELINE_CASE: QueryCase = {
  label: 'baseline: count() of the site in range',
  async run({ client, site, now }) {
    const range = benchRange(site, now);
    const rs = await client.query({
      query:
        sql`SELECT count() AS c FROM events WHERE site_id = ${site.id} AND timestamp >= ${range.from} AND timestamp < ${range.to}`
          .text,
      format: 'JSONEachRow',
    });
    const rows = await rs.json<{ c: string | number }>();
    return `${Number(rows[0]?.c ?? 0).toLocaleString('en-US')} events`;
  },
};
