import type { ClickHouseClient } from '@sightline/clickhouse';
import type { SqlFragment } from '@sightline/clickhouse';
import type { AuthorizedSite } from './authorized-site';
import {
  compileCurrentVisitors,
  compilePropertyKeys,
  compileQuery,
  compileRowsInRange,
  compileSiteStatus,
  compileTotalRows,
  effectiveOrderBy,
} from './compile-query';
import { comparisonRange, type ResolvedDateRange } from './date-range';
import { finalizeMetric, metricChange, scaleSampledMetric } from './metrics';
import { parseQuery, validateWith, type ParsedQuery } from './parse-query';
import { propertyKeysRequestSchema, type QueryRequest } from './query-request.schema';
import type { ComparisonResult, QueryResponse, QueryResultRow } from './query-response';
import {
  chooseTable,
  isSampledTable,
  sampleDenominator,
  type QueryTable,
  type SamplingPolicy,
} from './table-decider';
import { timeLabels, type TimeGranularity } from './time-labels';
import { formatInstantWithOffset } from './timezone';
import { runWithImports, wantsImports, type CompletedImport } from './imported-data';

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

function toResultRow(q: ParsedQuery, raw: RawRow, sample: number | null): QueryResultRow {
  return {
    dimensions: q.dimensions.map((_, i) => String(raw[`d${i}`] ?? '')),
    metrics: q.metrics.map((m, i) => finalizeMetric(m, scaleSampledMetric(m, raw[`m${i}`], sample))),
  };
}

export interface QueryEngineOptions {
  /** Answer from the hourly rollup when it can answer exactly (default true; false: raw events only). */
  rollups?: boolean;
  /** Answer visit metrics from the sessions table when it can (default: as `rollups`). */
  sessionsTable?: boolean;
  /**
   * Sample the raw table above this many events in the range (null: never); small sites are
   * never sampled.
   */
  sampleAboveRows?: number | null;
  /** A sampled scan reads about this many rows (default 300,000). */
  sampleTargetRows?: number;
}

/** Above this many events in the range, raw scans are sampled... */
export const DEFAULT_SAMPLE_ABOVE_ROWS = 1_000_000;
/** ...down to about this many rows. */
export const DEFAULT_SAMPLE_TARGET_ROWS = 300_000;

/** Breakdowns with fewer rows than this answer total_rows from the same statement as the page. */
const TOTAL_ROWS_IN_ONE_QUERY = 10_000;

/** How long the rows-in-range estimate of a (site, range) is reused. */
const ESTIMATE_TTL_MS = 60_000;
const ESTIMATE_CACHE_ENTRIES = 5_000;

function timeGranularity(q: ParsedQuery): TimeGranularity | undefined {
  return q.dimensions.find((d): d is TimeGranularity => d.startsWith('time:'));
}

/**
 * Runs Stats-API-v2-shaped queries for one authorized site. Parsing and SQL generation are pure
 * (parseQuery, compileQuery); this class only adds the clock, the round trips and the
 * comparison matching.
 */
export class QueryEngine {
  private readonly rollups: boolean;
  private readonly sessionsTable: boolean;
  private readonly sampling: SamplingPolicy | null;
  private readonly estimates = new Map<string, { rows: number; expiresAt: number }>();

  constructor(
    private readonly client: ClickHouseClient,
    options: QueryEngineOptions = {},
  ) {
    this.rollups = options.rollups ?? true;
    this.sessionsTable = options.sessionsTable ?? this.rollups;
    const above = options.sampleAboveRows === undefined ? DEFAULT_SAMPLE_ABOVE_ROWS : options.sampleAboveRows;
    this.sampling =
      above === null
        ? null
        : {
            aboveRows: above,
            targetRows: Math.min(above, options.sampleTargetRows ?? DEFAULT_SAMPLE_TARGET_ROWS),
          };
  }

  async run(
    site: AuthorizedSite,
    request: QueryRequest | unknown,
    opts: { now?: Date; imports?: readonly CompletedImport[] } = {},
  ): Promise<QueryResponse> {
    const now = opts.now ?? new Date();
    if (wantsImports(request))
      return runWithImports(
        {
          native: (r) => this.run(site, r, { now }),
          nativeStart: async () => (await this.siteStatus(site)).firstEventAt,
          select: (sql) => this.select(sql),
        },
        site,
        request as QueryRequest,
        { now, imports: opts.imports ?? [] },
      );
    const firstEventAt = wantsAllTime(request) ? (await this.siteStatus(site)).firstEventAt : null;
    const q = parseQuery(site, request, { now, firstEventAt });
    const tz = site.timezone;

    const previous = q.comparison ? comparisonRange(q.range, q.comparison, tz) : null;
    const plan = await this.plan(q, previous);
    // Raw and sessions scans are sampled (the same visitors); the hourly rollup is small and exact.
    const scan = { table: plan.table, sample: isSampledTable(plan.table) ? plan.sample : null };
    const previousScan = {
      table: plan.previousTable,
      sample: isSampledTable(plan.previousTable) ? plan.sample : null,
    };
    // With no breakdown dimension the comparison does not depend on the current rows: run it alongside.
    const comparisonIsIndependent = previous !== null && q.dimensions.every((d) => d.startsWith('time:'));
    const granularity = timeGranularity(q);
    const labels = granularity ? timeLabels(q.range, granularity, tz) : undefined;
    // A compared time series lists every bucket of the period, empty ones as zeros (Plausible), so
    // the days traffic fell to nothing show next to the comparison period's figures.
    const fillBuckets = previous !== null && labels !== undefined && q.dimensions.length === 1;
    const [[rows, total], earlyPreviousRows] = await Promise.all([
      fillBuckets
        ? this.select(compileQuery(q, { ...scan, window: { offset: 0, limit: labels.length } })).then(
            (all) => [all, null] as [RawRow[], number | null],
          )
        : this.rowsAndTotal(q, scan),
      previous && comparisonIsIndependent
        ? this.select(compileQuery(q, { ...previousScan, range: previous, paginate: false }))
        : null,
    ]);
    let results = rows.map((r) => toResultRow(q, r, scan.sample));
    let totalRows = total;
    if (fillBuckets && labels) {
      const filled = everyBucket(q, results, labels);
      totalRows = q.totalRows ? filled.length : null;
      results = filled.slice(q.offset, q.offset + q.limit);
    }

    const meta: QueryResponse['meta'] = {};
    if (q.timeLabels && labels) meta.time_labels = labels;
    if (totalRows !== null) meta.total_rows = totalRows;
    if (scan.sample !== null || (previous && previousScan.sample !== null))
      meta.sampling = { fraction: 1 / (plan.sample ?? 1), rows_in_range: plan.rowsInRange };
    if (previous) {
      meta.comparison_date_range = this.echoRange(previous, tz);
      // Otherwise fetch only the breakdown rows on this page.
      const previousRows =
        earlyPreviousRows ??
        (results.length > 0
          ? await this.select(
              compileQuery(q, {
                ...previousScan,
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
        previousRows.map((r) => toResultRow(q, r, previousScan.sample)),
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

  /**
   * The custom property keys used by the events that pass `request`'s filters in its date range
   * (with an `event:goal` filter: that goal's properties), most visitors first. The request is a
   * query without metrics; it is validated like one.
   */
  async propertyKeys(
    site: AuthorizedSite,
    request: unknown,
    opts: { now?: Date } = {},
  ): Promise<{ key: string; visitors: number }[]> {
    const withMetric = { ...validateWith(propertyKeysRequestSchema, request), metrics: ['visitors'] };
    const now = opts.now ?? new Date();
    const firstEventAt = wantsAllTime(request) ? (await this.siteStatus(site)).firstEventAt : null;
    const q = parseQuery(site, withMetric, { now, firstEventAt });
    const rows = await this.select(compilePropertyKeys(q));
    return rows.map((r) => ({ key: String(r.key), visitors: Number(r.visitors) }));
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

  /**
   * The page of rows, and with include.total_rows the number of rows before pagination. One
   * statement when the breakdown has fewer than TOTAL_ROWS_IN_ONE_QUERY rows (the common case:
   * fetch them all, count and slice here); else the page and a count(), side by side.
   */
  private async rowsAndTotal(
    q: ParsedQuery,
    scan: { table: QueryTable; sample: number | null },
  ): Promise<[RawRow[], number | null]> {
    if (!q.totalRows) return [await this.select(compileQuery(q, scan)), null];
    if (q.dimensions.length > 0) {
      const all = await this.select(
        compileQuery(q, { ...scan, window: { offset: 0, limit: TOTAL_ROWS_IN_ONE_QUERY } }),
      );
      if (all.length < TOTAL_ROWS_IN_ONE_QUERY) return [all.slice(q.offset, q.offset + q.limit), all.length];
    }
    const [rows, total] = await Promise.all([
      this.select(compileQuery(q, scan)),
      this.select(compileTotalRows(q, scan)),
    ]);
    return [rows, Number(total[0]?.total ?? 0)];
  }

  /**
   * The table for each period, and the sampling of raw scans: decided from the rows the larger
   * period holds (from the hourly rollup, cached for a minute), the same for both periods so their
   * figures compare.
   */
  private async plan(
    q: ParsedQuery,
    previous: ResolvedDateRange | null,
  ): Promise<{ table: QueryTable; previousTable: QueryTable; sample: number | null; rowsInRange: number }> {
    const opts = { rollups: this.rollups, sessionsTable: this.sessionsTable };
    const table = chooseTable(q, q.range, opts);
    const previousTable = previous ? chooseTable(q, previous, opts) : table;
    if (this.sampling === null || (!isSampledTable(table) && !isSampledTable(previousTable)))
      return { table, previousTable, sample: null, rowsInRange: 0 };
    const counts = await Promise.all(
      [q.range, ...(previous ? [previous] : [])].map((r) => this.rowsInRange(q.site, r)),
    );
    const rowsInRange = Math.max(...counts);
    return {
      table,
      previousTable,
      sample: sampleDenominator(rowsInRange, this.sampling),
      rowsInRange,
    };
  }

  private async rowsInRange(site: AuthorizedSite, range: ResolvedDateRange): Promise<number> {
    const key = `${site.id}:${range.from.getTime()}:${range.to.getTime()}`;
    const now = Date.now();
    const cached = this.estimates.get(key);
    if (cached && cached.expiresAt > now) return cached.rows;
    const rows = Number((await this.select(compileRowsInRange(site, range)))[0]?.rows ?? 0);
    if (this.estimates.size >= ESTIMATE_CACHE_ENTRIES) this.estimates.clear();
    this.estimates.set(key, { rows, expiresAt: now + ESTIMATE_TTL_MS });
    return rows;
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

/** One row per bucket label (missing buckets as zeros), in the query's order. */
function everyBucket(q: ParsedQuery, rows: QueryResultRow[], labels: string[]): QueryResultRow[] {
  const byLabel = new Map(rows.map((r) => [String(r.dimensions[0]), r]));
  const all = labels.map(
    (label) => byLabel.get(label) ?? { dimensions: [label], metrics: q.metrics.map(() => 0) },
  );
  const order = effectiveOrderBy(q).map(([key, dir]) => {
    const m = (q.metrics as string[]).indexOf(key);
    const value = (r: QueryResultRow): string | number =>
      m >= 0 ? (r.metrics[m] ?? -Infinity) : String(r.dimensions[0]);
    return { value, sign: dir === 'asc' ? 1 : -1 };
  });
  return all.sort((a, b) => {
    for (const { value, sign } of order) {
      const x = value(a);
      const y = value(b);
      if (x < y) return -sign;
      if (x > y) return sign;
    }
    return 0;
  });
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
