import type { ClickHouseClient } from '@sightline/clickhouse';
import type { SqlFragment } from '@sightline/clickhouse';
import type { AuthorizedSite } from './authorized-site';
import {
  compileCurrentVisitors,
  compileQuery,
  compileSiteStatus,
  compileTotalRows,
  effectiveOrderBy,
} from './compile-query';
import { comparisonRange, type ResolvedDateRange } from './date-range';
import { finalizeMetric, metricChange } from './metrics';
import { parseQuery, type ParsedQuery } from './parse-query';
import type { QueryRequest } from './query-request.schema';
import type { ComparisonResult, QueryResponse, QueryResultRow } from './query-response';
import { timeLabels, type TimeGranularity } from './time-labels';
import { formatInstantWithOffset } from './timezone';

type RawRow = Record<string, unknown>;

export interface SiteStatus {
  hasEvents: boolean;
  firstEventAt: Date | null;
  lastEventAt: Date | null;
}

function parseClickHouseDateTime(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const d = new Date(value.replace(' ', 'T') + 'Z');
  return Number.isNaN(d.getTime()) ? null : d;
}

function wantsAllTime(request: unknown): boolean {
  return (
    typeof request === 'object' &&
    request !== null &&
    (request as { date_range?: unknown }).date_range === 'all'
  );
}

function toResultRow(q: ParsedQuery, raw: RawRow): QueryResultRow {
  return {
    dimensions: q.dimensions.map((_, i) => String(raw[`d${i}`] ?? '')),
    metrics: q.metrics.map((m, i) => finalizeMetric(m, raw[`m${i}`])),
  };
}

function timeGranularity(q: ParsedQuery): TimeGranularity | undefined {
  return q.dimensions.find((d): d is TimeGranularity => d.startsWith('time:'));
}

/**
 * Runs Stats-API-v2-shaped queries for one authorized site. Parsing and SQL generation are pure
 * (parseQuery, compileQuery); this class only adds the clock, the round trips and the
 * comparison matching.
 */
export class QueryEngine {
  constructor(private readonly client: ClickHouseClient) {}

  async run(
    site: AuthorizedSite,
    request: QueryRequest | unknown,
    opts: { now?: Date } = {},
  ): Promise<QueryResponse> {
    const now = opts.now ?? new Date();
    const firstEventAt = wantsAllTime(request) ? (await this.siteStatus(site)).firstEventAt : null;
    const q = parseQuery(site, request, { now, firstEventAt });
    const tz = site.timezone;

    const previous = q.comparison ? comparisonRange(q.range, q.comparison, tz) : null;
    // With no breakdown dimension the comparison does not depend on the current rows: run it alongside.
    const comparisonIsIndependent = previous !== null && q.dimensions.every((d) => d.startsWith('time:'));
    const [rows, totalRows, earlyPreviousRows] = await Promise.all([
      this.select(compileQuery(q)),
      q.totalRows ? this.select(compileTotalRows(q)) : null,
      previous && comparisonIsIndependent
        ? this.select(compileQuery(q, { range: previous, paginate: false }))
        : null,
    ]);
    const results = rows.map((r) => toResultRow(q, r));
    const granularity = timeGranularity(q);
    const labels = granularity ? timeLabels(q.range, granularity, tz) : undefined;

    const meta: QueryResponse['meta'] = {};
    if (q.timeLabels && labels) meta.time_labels = labels;
    if (totalRows) meta.total_rows = Number(totalRows[0]?.total ?? 0);
    if (previous) {
      meta.comparison_date_range = this.echoRange(previous, tz);
      // Otherwise fetch only the breakdown rows on this page.
      const previousRows =
        earlyPreviousRows ??
        (results.length > 0
          ? await this.select(
              compileQuery(q, {
                range: previous,
                restrictTo: results.map((r) => r.dimensions),
                paginate: false,
              }),
            )
          : []);
      const previousLabels = granularity ? timeLabels(previous, granularity, tz) : undefined;
      attachComparisons(
        q,
        results,
        previousRows.map((r) => toResultRow(q, r)),
        labels,
        previousLabels,
      );
    }

    return {
      results,
      meta,
      query: {
        site_id: q.request.site_id,
        metrics: q.metrics,
        date_range: this.echoRange(q.range, tz),
        dimensions: q.dimensions,
        filters: q.request.filters,
        order_by: effectiveOrderBy(q),
        include: {
          comparisons: q.comparison ? { mode: q.comparison } : null,
          time_labels: q.timeLabels,
          total_rows: q.totalRows,
        },
        pagination: { limit: q.limit, offset: q.offset },
        timezone: tz,
      },
    };
  }

  /** Distinct visitors with an event in the last five minutes. */
  async currentVisitors(site: AuthorizedSite, opts: { now?: Date } = {}): Promise<number> {
    const rows = await this.select(compileCurrentVisitors(site, opts.now ?? new Date()));
    return Number(rows[0]?.visitors ?? 0);
  }

  async siteStatus(site: AuthorizedSite): Promise<SiteStatus> {
    const row = (await this.select(compileSiteStatus(site)))[0];
    const hasEvents = Number(row?.events ?? 0) > 0;
    return {
      hasEvents,
      firstEventAt: hasEvents ? parseClickHouseDateTime(row?.first_at) : null,
      lastEventAt: hasEvents ? parseClickHouseDateTime(row?.last_at) : null,
    };
  }

  private echoRange(range: ResolvedDateRange, tz: string): [string, string] {
    return [
      formatInstantWithOffset(range.from, tz),
      formatInstantWithOffset(new Date(range.to.getTime() - 1000), tz),
    ];
  }

  private async select(query: SqlFragment): Promise<RawRow[]> {
    const rs = await this.client.query({ query: query.text, format: 'JSONEachRow' });
    return rs.json<RawRow>();
  }
}

/**
 * Pairs each row with its comparison-period row: same non-time dimensions, and for a time
 * dimension the bucket at the same position in the other period (day 3 ↔ day 3). Missing
 * comparison rows count as zero, as on Plausible's dashboard.
 */
function attachComparisons(
  q: ParsedQuery,
  current: QueryResultRow[],
  previous: QueryResultRow[],
  labels: string[] | undefined,
  previousLabels: string[] | undefined,
): void {
  const timeIndex = q.dimensions.findIndex((d) => d.startsWith('time:'));
  const key = (dims: (string | number)[]): string => JSON.stringify(dims);
  const byKey = new Map(previous.map((r) => [key(r.dimensions), r]));
  for (const row of current) {
    const dims = [...row.dimensions];
    if (timeIndex >= 0) {
      const position = labels?.indexOf(String(dims[timeIndex])) ?? -1;
      const label = previousLabels?.[position];
      if (position < 0 || label === undefined) continue;
      dims[timeIndex] = label;
    }
    const match = byKey.get(key(dims));
    const metrics = match ? match.metrics : q.metrics.map(() => 0);
    const comparison: ComparisonResult = {
      dimensions: dims,
      metrics,
      change: q.metrics.map((m, i) => metricChange(m, row.metrics[i] ?? null, metrics[i] ?? null)),
    };
    row.comparison = comparison;
  }
}
