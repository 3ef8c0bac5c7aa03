import { joinSql, sql, type SqlFragment } from '@sightline/clickhouse';
import type { AuthorizedSite } from './authorized-site';
import { effectiveOrderBy } from './compile-query';
import { comparisonRange, type ResolvedDateRange } from './date-range';
import { finalizeMetric, metricChange } from './metrics';
import { parseQuery, type ConcreteDimension, type ParsedQuery } from './parse-query';
import {
  MAX_LIMIT,
  type Metric,
  type NormalizedQueryRequest,
  type QueryRequest,
} from './query-request.schema';
import type { QueryResponse, QueryResultRow } from './query-response';
import { timeLabels, type TimeGranularity } from './time-labels';
import { localDateOf } from './timezone';

/**
 * Imported history (Plausible / Umami exports, ClickHouse `imported_*` tables) in queries, as
 * Plausible v2 does with `include: { imports: true }`: figures of imported days are added to the
 * native figures. Imported data counts only for days before the site's first native event, so a
 * day is never counted twice. Only what the daily imported tables can answer is combined: the
 * metrics below, at most one non-time dimension, daily or coarser buckets, and no filters;
 * otherwise the native answer comes back with `meta.imports_skip_reason`.
 */

/** A completed import of the site (the api reads these from Postgres). */
export interface CompletedImport {
  id: number;
  /** First imported day (site timezone): where `date_range: "all"` starts. */
  startDate?: string | null;
}

export const IMPORTABLE_METRICS = new Set<Metric>([
  'visitors',
  'visits',
  'pageviews',
  'bounce_rate',
  'visit_duration',
  'views_per_visit',
]);

/**
 * Metrics exports do not carry (engagement): a combined answer gives them from native data only,
 * null where a row has imported figures alone, so pages keep their imported visitors and
 * pageviews next to native scroll depth and time on page.
 */
export const NATIVE_ONLY_METRICS = new Set<Metric>(['scroll_depth', 'time_on_page']);

interface ImportedSource {
  table: string;
  /** The dimension's column; null for the totals table. */
  column: SqlFragment | null;
  /** Label of an empty value (as native breakdowns show it); undefined: empty values are left out. */
  emptyLabel?: string;
  /** The column that counts visits in this table. */
  visits: SqlFragment;
  /** Tables without per-visit bounce and duration figures (pages). */
  sessionMetrics: boolean;
}

const visitTable = (table: string, column: string, emptyLabel?: string): ImportedSource => ({
  table,
  column: identifier(column),
  ...(emptyLabel !== undefined ? { emptyLabel } : {}),
  visits: sql`visits`,
  sessionMetrics: true,
});

/** The dimension columns of the imported tables: constants, never from the request. */
function identifier(name: string): SqlFragment {
  switch (name) {
    case 'source':
      return sql`source`;
    case 'referrer':
      return sql`referrer`;
    case 'utm_source':
      return sql`utm_source`;
    case 'utm_medium':
      return sql`utm_medium`;
    case 'utm_campaign':
      return sql`utm_campaign`;
    case 'utm_content':
      return sql`utm_content`;
    case 'utm_term':
      return sql`utm_term`;
    case 'country':
      return sql`country`;
    case 'device':
      return sql`device`;
    case 'browser':
      return sql`browser`;
    case 'operating_system':
      return sql`operating_system`;
    case 'page':
      return sql`page`;
    case 'hostname':
      return sql`hostname`;
    case 'entry_page':
      return sql`entry_page`;
    case 'exit_page':
      return sql`exit_page`;
    default:
      throw new TypeError(`bad column ${name}`);
  }
}

const TOTALS: ImportedSource = {
  table: 'imported_visitors',
  column: null,
  visits: sql`visits`,
  sessionMetrics: true,
};

export const IMPORTED_SOURCES: Partial<Record<ConcreteDimension, ImportedSource>> = {
  'visit:source': visitTable('imported_sources', 'source', 'Direct / None'),
  'visit:referrer': visitTable('imported_sources', 'referrer', 'Direct / None'),
  'visit:utm_source': visitTable('imported_sources', 'utm_source'),
  'visit:utm_medium': visitTable('imported_sources', 'utm_medium'),
  'visit:utm_campaign': visitTable('imported_sources', 'utm_campaign'),
  'visit:utm_content': visitTable('imported_sources', 'utm_content'),
  'visit:utm_term': visitTable('imported_sources', 'utm_term'),
  'visit:country': visitTable('imported_locations', 'country', '(not set)'),
  'visit:device': visitTable('imported_devices', 'device', '(not set)'),
  'visit:browser': visitTable('imported_browsers', 'browser', '(not set)'),
  'visit:os': visitTable('imported_operating_systems', 'operating_system', '(not set)'),
  'visit:entry_page': { ...visitTable('imported_entry_pages', 'entry_page'), visits: sql`entrances` },
  'visit:exit_page': { ...visitTable('imported_exit_pages', 'exit_page'), visits: sql`exits` },
  'event:page': { ...visitTable('imported_pages', 'page'), sessionMetrics: false },
  'event:hostname': { ...visitTable('imported_pages', 'hostname'), sessionMetrics: false },
};

const TABLE_NAMES: Record<string, SqlFragment> = {
  imported_visitors: sql`imported_visitors`,
  imported_sources: sql`imported_sources`,
  imported_locations: sql`imported_locations`,
  imported_devices: sql`imported_devices`,
  imported_browsers: sql`imported_browsers`,
  imported_operating_systems: sql`imported_operating_systems`,
  imported_entry_pages: sql`imported_entry_pages`,
  imported_exit_pages: sql`imported_exit_pages`,
  imported_pages: sql`imported_pages`,
};

export type ImportsSkipReason = 'no_imported_data' | 'unsupported_query' | 'out_of_range';

/** Which imported table answers the query, or why none can. Pure: tested as a table. */
export function importedSourceFor(q: ParsedQuery): ImportedSource | 'unsupported_query' {
  if (q.filters.length > 0) return 'unsupported_query';
  if (!q.metrics.every((m) => IMPORTABLE_METRICS.has(m) || NATIVE_ONLY_METRICS.has(m)))
    return 'unsupported_query';
  if (q.metrics.every((m) => NATIVE_ONLY_METRICS.has(m))) return 'unsupported_query';
  const time = q.dimensions.filter((d) => d.startsWith('time:'));
  if (time.some((d) => d === 'time:hour')) return 'unsupported_query';
  const others = q.dimensions.filter((d) => !d.startsWith('time:'));
  if (others.length > 1) return 'unsupported_query';
  const source = others.length === 0 ? TOTALS : IMPORTED_SOURCES[others[0]!];
  if (!source) return 'unsupported_query';
  if (!source.sessionMetrics && q.metrics.some((m) => m === 'bounce_rate' || m === 'visit_duration'))
    return 'unsupported_query';
  return source;
}

/** Sums an imported table can give; rates are rebuilt from them after merging. */
interface Components {
  visitors: number;
  visits: number;
  pageviews: number;
  bounces: number;
  duration: number;
  /** NATIVE_ONLY_METRICS of the native row, as the engine answered them. */
  nativeOnly?: Partial<Record<Metric, number | null>>;
}

const ZERO: Components = { visitors: 0, visits: 0, pageviews: 0, bounces: 0, duration: 0 };

function add(a: Components, b: Components): Components {
  return {
    visitors: a.visitors + b.visitors,
    visits: a.visits + b.visits,
    pageviews: a.pageviews + b.pageviews,
    bounces: a.bounces + b.bounces,
    duration: a.duration + b.duration,
    ...((a.nativeOnly ?? b.nativeOnly) ? { nativeOnly: a.nativeOnly ?? b.nativeOnly } : {}),
  };
}

function timeBucket(granularity: TimeGranularity, firstDate: string): SqlFragment {
  switch (granularity) {
    case 'time:day':
      return sql`toString(date)`;
    case 'time:week':
      return sql`toString(greatest(toMonday(date), toDate(${firstDate})))`;
    case 'time:month':
      return sql`toString(toStartOfMonth(date))`;
    default:
      throw new TypeError(`imported data has no ${granularity} buckets`);
  }
}

/**
 * The imported rows of a range, grouped like the query's dimensions (d0, d1 ...). Days from
 * `nativeStart` on are left out: native data answers them.
 */
export function compileImportedQuery(
  q: ParsedQuery,
  source: ImportedSource,
  range: ResolvedDateRange,
  imports: readonly CompletedImport[],
  nativeStart: string | null,
): SqlFragment {
  const dims = q.dimensions.map((d, i) => {
    const expr = d.startsWith('time:')
      ? timeBucket(d as TimeGranularity, range.firstDate)
      : source.emptyLabel !== undefined
        ? sql`if(${source.column!} = '', ${source.emptyLabel}, ${source.column!})`
        : source.column!;
    return { expr, alias: i };
  });
  const ids = joinSql(
    imports.map((i) => sql`${i.id}`),
    ', ',
  );
  const conditions = [
    sql`site_id = ${q.site.id}`,
    sql`import_id IN (${ids})`,
    sql`date >= toDate(${range.firstDate})`,
    sql`date <= toDate(${range.lastDate})`,
  ];
  if (nativeStart) conditions.push(sql`date < toDate(${nativeStart})`);
  if (source.column && source.emptyLabel === undefined) conditions.push(sql`${source.column} != ''`);
  const selectDims = dims.map(({ expr, alias }) => sql`${expr} AS ${dimAlias(alias)}`);
  const sums = [
    sql`sum(visitors) AS visitors`,
    sql`sum(${source.visits}) AS visits`,
    sql`sum(pageviews) AS pageviews`,
    source.sessionMetrics ? sql`sum(bounces) AS bounces` : sql`0 AS bounces`,
    source.sessionMetrics ? sql`sum(visit_duration) AS duration` : sql`0 AS duration`,
  ];
  const table = TABLE_NAMES[source.table];
  if (!table) throw new TypeError(`unknown imported table ${source.table}`);
  const groupBy =
    dims.length > 0
      ? sql` GROUP BY ${joinSql(
          dims.map(({ alias }) => dimAlias(alias)),
          ', ',
        )}`
      : sql``;
  return sql`SELECT ${joinSql([...selectDims, ...sums], ', ')} FROM ${table} WHERE ${joinSql(conditions, ' AND ')}${groupBy}`;
}

const DIM_ALIASES = [sql`d0`, sql`d1`, sql`d2`, sql`d3`];
function dimAlias(i: number): SqlFragment {
  const alias = DIM_ALIASES[i];
  if (!alias) throw new TypeError(`too many dimensions`);
  return alias;
}

/** What the engine lends this module: its own native run, site status and SQL round trip. */
export interface ImportedDataDeps {
  native(request: QueryRequest): Promise<QueryResponse>;
  nativeStart(): Promise<Date | null>;
  select(query: SqlFragment): Promise<Record<string, unknown>[]>;
}

export function wantsImports(request: unknown): boolean {
  if (typeof request !== 'object' || request === null) return false;
  const include = (request as { include?: unknown }).include;
  return (
    typeof include === 'object' && include !== null && (include as { imports?: unknown }).imports === true
  );
}

type Keyed = Map<string, { dims: (string | number)[]; c: Components }>;

const keyOf = (dims: (string | number)[]): string => JSON.stringify(dims);

/** A native row's metrics back to sums: rates times visits (the native run always asks for visits). */
function nativeComponents(metrics: Metric[], values: (number | null)[]): Components {
  const get = (m: Metric): number => Number(values[metrics.indexOf(m)] ?? 0) || 0;
  const visits = metrics.includes('visits') ? get('visits') : 0;
  return {
    visitors: metrics.includes('visitors') ? get('visitors') : 0,
    visits,
    pageviews: metrics.includes('pageviews') ? get('pageviews') : 0,
    bounces: metrics.includes('bounce_rate') ? Math.round((get('bounce_rate') * visits) / 100) : 0,
    duration: metrics.includes('visit_duration') ? get('visit_duration') * visits : 0,
    nativeOnly: Object.fromEntries(
      metrics.filter((m) => NATIVE_ONLY_METRICS.has(m)).map((m) => [m, values[metrics.indexOf(m)] ?? null]),
    ),
  };
}

function metricValue(m: Metric, c: Components): number | null {
  switch (m) {
    case 'visitors':
      return c.visitors;
    case 'visits':
      return c.visits;
    case 'pageviews':
      return c.pageviews;
    case 'bounce_rate':
      return finalizeMetric(m, c.visits === 0 ? 0 : (100 * c.bounces) / c.visits);
    case 'visit_duration':
      return finalizeMetric(m, c.visits === 0 ? 0 : c.duration / c.visits);
    case 'views_per_visit':
      return finalizeMetric(m, c.visits === 0 ? 0 : c.pageviews / c.visits);
    case 'scroll_depth':
    case 'time_on_page':
      return c.nativeOnly?.[m] ?? null;
    default:
      return null;
  }
}

function importedRows(q: ParsedQuery, rows: Record<string, unknown>[]): Keyed {
  const out: Keyed = new Map();
  for (const r of rows) {
    const dims = q.dimensions.map((_, i) => String(r[`d${i}`] ?? ''));
    out.set(keyOf(dims), {
      dims,
      c: {
        visitors: Number(r.visitors ?? 0),
        visits: Number(r.visits ?? 0),
        pageviews: Number(r.pageviews ?? 0),
        bounces: Number(r.bounces ?? 0),
        duration: Number(r.duration ?? 0),
      },
    });
  }
  return out;
}

function compareRows(q: ParsedQuery, a: QueryResultRow, b: QueryResultRow): number {
  for (const [key, dir] of effectiveOrderBy(q)) {
    const m = (q.metrics as string[]).indexOf(key);
    const d = (q.dimensions as string[]).indexOf(key);
    const x = m >= 0 ? (a.metrics[m] ?? 0) : a.dimensions[d];
    const y = m >= 0 ? (b.metrics[m] ?? 0) : b.dimensions[d];
    if (x === y || x === undefined || y === undefined) continue;
    const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : 1;
    return dir === 'asc' ? cmp : -cmp;
  }
  return 0;
}

/**
 * The query with imported data: the native answer (unpaginated, with visits for rates), plus
 * the imported sums of the same range and of the comparison range, merged per dimension value
 * (per bucket for time), then ordered and paginated as the request asked.
 */
export async function runWithImports(
  deps: ImportedDataDeps,
  site: AuthorizedSite,
  request: QueryRequest,
  opts: { now: Date; imports: readonly CompletedImport[] },
): Promise<QueryResponse> {
  const original = request as NormalizedQueryRequest;
  const withoutImports = {
    ...original,
    include: { ...(original.include ?? {}), imports: undefined },
  } as QueryRequest;
  // "All time" starts at the first imported day when that is before the first native event.
  const firstImported = opts.imports
    .map((i) => i.startDate)
    .filter((d): d is string => typeof d === 'string')
    .sort()[0];
  if (original.date_range === 'all' && firstImported) {
    const nativeFirst = await deps.nativeStart();
    const from = nativeFirst
      ? [firstImported, localDateOf(nativeFirst, site.timezone)].sort()[0]!
      : firstImported;
    (withoutImports as { date_range: unknown }).date_range = [from, localDateOf(opts.now, site.timezone)];
  }
  // Validate first: a bad request gets the same 400 as without imports.
  const q = parseQuery(site, withoutImports, { now: opts.now, firstEventAt: null });
  const skip = async (reason: ImportsSkipReason): Promise<QueryResponse> => {
    const response = await deps.native(withoutImports);
    response.meta.imports_included = false;
    response.meta.imports_skip_reason = reason;
    return withImportsEcho(response);
  };
  if (opts.imports.length === 0) return skip('no_imported_data');
  const source = importedSourceFor(q);
  if (source === 'unsupported_query') return skip('unsupported_query');

  const nativeStartAt = await deps.nativeStart();
  const nativeStart = nativeStartAt ? localDateOf(nativeStartAt, site.timezone) : null;
  if (nativeStart !== null && q.range.firstDate >= nativeStart && !q.comparison) return skip('out_of_range');

  // Rates are rebuilt from sums: the native run also returns visits (and pageviews for views per visit).
  const metrics = [...q.metrics];
  if (!metrics.includes('visits')) metrics.push('visits');
  if (metrics.includes('views_per_visit') && !metrics.includes('pageviews')) metrics.push('pageviews');
  const nativeRequest = {
    ...withoutImports,
    metrics,
    order_by: undefined,
    pagination: { limit: MAX_LIMIT, offset: 0 },
    include: { ...(withoutImports as NormalizedQueryRequest).include, total_rows: false, imports: undefined },
  } as QueryRequest;
  const previous = q.comparison ? comparisonRange(q.range, q.comparison, site.timezone) : null;
  const [native, current, before] = await Promise.all([
    deps.native(nativeRequest),
    deps.select(compileImportedQuery(q, source, q.range, opts.imports, nativeStart)),
    previous ? deps.select(compileImportedQuery(q, source, previous, opts.imports, nativeStart)) : null,
  ]);

  const merged: Keyed = new Map();
  const previousNative: Keyed = new Map();
  for (const row of native.results) {
    merged.set(keyOf(row.dimensions), { dims: row.dimensions, c: nativeComponents(metrics, row.metrics) });
    if (row.comparison)
      previousNative.set(keyOf(row.dimensions), {
        dims: row.comparison.dimensions,
        c: nativeComponents(metrics, row.comparison.metrics),
      });
  }
  const imported = importedRows(q, current);
  for (const [key, row] of imported) {
    const have = merged.get(key);
    merged.set(key, { dims: have?.dims ?? row.dims, c: add(have?.c ?? ZERO, row.c) });
  }
  const importedBefore = before ? importedRows(q, before) : new Map();

  const timeIndex = q.dimensions.findIndex((d) => d.startsWith('time:'));
  const granularity = timeIndex >= 0 ? (q.dimensions[timeIndex] as TimeGranularity) : undefined;
  const labels = granularity ? timeLabels(q.range, granularity, site.timezone) : undefined;
  const previousLabels =
    granularity && previous ? timeLabels(previous, granularity, site.timezone) : undefined;

  let results: QueryResultRow[] = [...merged.entries()].map(([key, { dims, c }]) => {
    const row: QueryResultRow = { dimensions: dims, metrics: q.metrics.map((m) => metricValue(m, c)) };
    if (previous) {
      const prevDims = [...dims];
      if (timeIndex >= 0) {
        const label = previousLabels?.[labels?.indexOf(String(dims[timeIndex])) ?? -1];
        if (label === undefined) return row;
        prevDims[timeIndex] = label;
      }
      const prevC = add(previousNative.get(key)?.c ?? ZERO, importedBefore.get(keyOf(prevDims))?.c ?? ZERO);
      const prevMetrics = q.metrics.map((m) => metricValue(m, prevC));
      row.comparison = {
        dimensions: prevDims,
        metrics: prevMetrics,
        change: q.metrics.map((m, i) => metricChange(m, row.metrics[i] ?? null, prevMetrics[i] ?? null)),
      };
    }
    return row;
  });
  // A breakdown leaves out values with nothing in them, as native breakdowns do.
  if (q.dimensions.length > 0) results = results.filter((r) => r.metrics.some((v) => (v ?? 0) !== 0));
  results.sort((a, b) => compareRows(q, a, b));
  const total = results.length;
  results = results.slice(q.offset, q.offset + q.limit);

  const meta: QueryResponse['meta'] = {
    ...native.meta,
    imports_included: imported.size > 0 || importedBefore.size > 0,
  };
  delete meta.total_rows;
  if (q.totalRows) meta.total_rows = total;
  return withImportsEcho({
    results,
    meta,
    query: {
      ...native.query,
      metrics: q.metrics,
      order_by: effectiveOrderBy(q),
      pagination: { limit: q.limit, offset: q.offset },
      include: { ...native.query.include, total_rows: q.totalRows },
    },
  });
}

function withImportsEcho(response: QueryResponse): QueryResponse {
  return { ...response, query: { ...response.query, include: { ...response.query.include, imports: true } } };
}
