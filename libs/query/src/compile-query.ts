import { joinSql, sql, type SqlFragment } from '@sightline/clickhouse';
import type { AuthorizedSite } from './authorized-site';
import type { ResolvedDateRange } from './date-range';
import {
  ENTRY_HOSTNAME,
  eventDimensionSql,
  EXIT_HOSTNAME,
  timeBucketLabel,
  VISIT_ATTRIBUTES,
} from './dimensions';
import { allOf, clausesCondition, entryPageCondition, sessionHostnameCondition } from './filters';
import {
  CONVERSION_METRICS,
  DEFAULT_CURRENCY,
  ENGAGEMENT_METRICS,
  eventMetricSql,
  REVENUE_METRICS,
  revenueEvent,
  sessionMetricSql,
  type ConversionDenominators,
} from './metrics';
import type { ConcreteDimension, ParsedQuery } from './parse-query';
import type { EventDimension, PropsDimension, VisitDimension } from './query-request.schema';
import type { DimensionValue } from './query-response';
import { compileSessionsTableQuery } from './compile-sessions-table';
import type { QueryTable } from './table-decider';
import type { TimeGranularity } from './time-labels';

export interface CompileOptions {
  /** Another period (comparisons); defaults to the query's range. */
  range?: ResolvedDateRange;
  /** Only these combinations of the non-time dimensions (comparison rows for the current page). */
  restrictTo?: DimensionValue[][];
  /** false: no ORDER BY/LIMIT (for counting rows, or fetching a whole comparison period). */
  paginate?: boolean;
  /** The table the decider chose (default: raw events). */
  table?: QueryTable;
  /** LIMIT offset, limit instead of the query's own pagination (when paginating). */
  window?: { offset: number; limit: number };
  /** Read the raw table with `SAMPLE 1/N` (whole visitors); counts are scaled by N afterwards. */
  sample?: number | null;
}

/** `events`, or `events SAMPLE 1/N`: every raw scan of one query reads the same visitors. */
function rawEvents(sample: number | null | undefined): SqlFragment {
  if (sample === null || sample === undefined || sample <= 1) return sql`events`;
  if (!Number.isInteger(sample)) throw new RangeError('sample denominator must be an integer');
  return sql`events SAMPLE 1/${sample}`;
}

/**
 * The site and time range of a table ordered by (site_id, toDate(timestamp), ...): the explicit
 * toDate bounds hit the sort key so only the site's days are read. `events` and `web_vitals` both.
 */
export function siteRangeScope(
  site: AuthorizedSite,
  range: Pick<ResolvedDateRange, 'from' | 'to'>,
): SqlFragment {
  const lastSecond = new Date(range.to.getTime() - 1000);
  return sql`site_id = ${site.id} AND toDate(timestamp) >= toDate(${range.from}) AND toDate(timestamp) <= toDate(${lastSecond}) AND timestamp >= ${range.from} AND timestamp < ${range.to}`;
}

/**
 * The one scan predicate of `events`: the site and range, then (unless the engagement metrics ask
 * for them) no engagement pings. Every `FROM events` in this package is followed by exactly this.
 */
export function siteScope(
  site: AuthorizedSite,
  range: Pick<ResolvedDateRange, 'from' | 'to'>,
  rows: ScopedRows = 'events',
): SqlFragment {
  const scope = siteRangeScope(site, range);
  return rows === 'events' ? sql`${scope} AND ${NOT_ENGAGEMENT}` : scope;
}

/**
 * Engagement pings (rows named `engagement`) are not events: no metric, session or visitor count
 * sees them, only the engagement metrics (scroll_depth, time_on_page) read them, with
 * 'with_engagement' and the metric's own conditions.
 */
export type ScopedRows = 'events' | 'with_engagement';
export const NOT_ENGAGEMENT = sql`name != 'engagement'`;

// Output column aliases come from these fixed lists, never from input.
const DIMENSION_ALIASES = [sql`d0`, sql`d1`, sql`d2`, sql`d3`];
const METRIC_ALIASES = [sql`m0`, sql`m1`, sql`m2`, sql`m3`, sql`m4`, sql`m5`, sql`m6`, sql`m7`];

function alias(prefix: 'd' | 'm', i: number): SqlFragment {
  const found = (prefix === 'd' ? DIMENSION_ALIASES : METRIC_ALIASES)[i];
  if (!found) throw new RangeError(`no output column ${prefix}${i}`);
  return found;
}

function isTime(d: ConcreteDimension): d is TimeGranularity {
  return d.startsWith('time:');
}

/**
 * The request's order, then Plausible's defaults: time ascending (if any), then the first metric
 * descending; then every dimension, so that ties come out the same on every run.
 */
export function effectiveOrderBy(q: ParsedQuery): [string, 'asc' | 'desc'][] {
  const items: [string, 'asc' | 'desc'][] = [];
  const push = (key: string, dir: 'asc' | 'desc'): void => {
    if (!items.some(([k]) => k === key)) items.push([key, dir]);
  };
  for (const [key, dir] of q.orderBy) push(key, dir);
  if (q.dimensions.length === 0) return items;
  const time = q.dimensions.find(isTime);
  if (time) push(time, 'asc');
  push(q.metrics[0] as string, 'desc');
  for (const d of q.dimensions) push(d, 'asc');
  return items;
}

function siteCurrency(q: ParsedQuery): string {
  return q.site.currency ?? DEFAULT_CURRENCY;
}

function orderClause(q: ParsedQuery): SqlFragment {
  const items = effectiveOrderBy(q).map(([key, dir]) => {
    const m = (q.metrics as string[]).indexOf(key);
    const column = m >= 0 ? alias('m', m) : alias('d', (q.dimensions as string[]).indexOf(key));
    return sql`${column} ${dir === 'asc' ? sql`ASC` : sql`DESC`}`;
  });
  return joinSql(items, ', ');
}

function restriction(q: ParsedQuery, rows: DimensionValue[][] | undefined): SqlFragment | null {
  if (!rows) return null;
  const indexes = q.dimensions.map((d, i) => (isTime(d) ? -1 : i)).filter((i) => i >= 0);
  if (indexes.length === 0) return null;
  if (rows.length === 0) return sql`0`;
  const tuple = (values: SqlFragment[]): SqlFragment =>
    values.length === 1 ? (values[0] as SqlFragment) : sql`(${joinSql(values, ', ')})`;
  const key = tuple(indexes.map((i) => alias('d', i)));
  const list = rows.map((row) => tuple(indexes.map((i) => sql`${String(row[i] ?? '')}`)));
  return sql`${key} IN (${joinSql(list, ', ')})`;
}

function tail(q: ParsedQuery, opts: CompileOptions, having: SqlFragment[]): SqlFragment {
  const parts: SqlFragment[] = [];
  if (q.dimensions.length > 0)
    parts.push(
      sql`GROUP BY ${joinSql(
        q.dimensions.map((_, i) => alias('d', i)),
        ', ',
      )}`,
    );
  const restrict = restriction(q, opts.restrictTo);
  if (restrict) having.push(restrict);
  const havingSql = allOf(having);
  if (havingSql) parts.push(sql`HAVING ${havingSql}`);
  if (opts.paginate !== false && q.dimensions.length > 0) {
    parts.push(sql`ORDER BY ${orderClause(q)}`);
    const window = opts.window ?? { offset: q.offset, limit: q.limit };
    parts.push(sql`LIMIT ${window.offset}, ${window.limit}`);
  }
  return parts.reduce((all, p) => (all.text ? sql`${all}\n${p}` : p), sql``);
}

/** Sessions (within the range) whose attributes pass the visit filters. */
function sessionsMatchingVisitFilters(
  site: AuthorizedSite,
  range: ResolvedDateRange,
  visit: SqlFragment,
  sample: number | null | undefined,
): SqlFragment {
  return sql`SELECT session_id FROM ${rawEvents(sample)} WHERE ${siteScope(site, range)} GROUP BY session_id HAVING ${visit}`;
}

/** All visitors of the range (visit filters applied, no breakdown): a scalar subquery. */
function totalVisitors(
  site: AuthorizedSite,
  range: ResolvedDateRange,
  visit: SqlFragment | null,
  sample: number | null | undefined,
): SqlFragment {
  const inSessions = visit
    ? sql` AND session_id IN (${sessionsMatchingVisitFilters(site, range, visit, sample)})`
    : sql``;
  return sql`(SELECT uniq(visitor_id) FROM ${rawEvents(sample)} WHERE ${siteScope(site, range)}${inSessions})`;
}

function conversionDenominators(
  q: ParsedQuery,
  range: ResolvedDateRange,
  visit: SqlFragment | null,
  sample: number | null | undefined,
): ConversionDenominators {
  const breakdown = q.dimensions.some((d) => !isTime(d));
  const total = breakdown ? totalVisitors(q.site, range, visit, sample) : null;
  return {
    conversion_rate: total,
    group_conversion_rate: q.dimensions.includes('event:name') ? total : null,
  };
}

function isGoalQuery(q: ParsedQuery): boolean {
  return q.metrics.some((m) => CONVERSION_METRICS.has(m));
}

function compileEventsQuery(q: ParsedQuery, range: ResolvedDateRange, opts: CompileOptions): SqlFragment {
  const goalMode = isGoalQuery(q);
  const eventCond = clausesCondition(q.filters, 'event');
  const visitCond = clausesCondition(q.filters, 'visit');
  const goal = goalMode ? eventCond : null;
  const denominators = conversionDenominators(q, range, visitCond, opts.sample);
  // Engagement metrics scan the engagement rows too; every other metric then skips them itself
  // (parse-query.ts keeps conversion metrics, which use the goal slot, out of such queries).
  const engagement = q.metrics.some((m) => ENGAGEMENT_METRICS.has(m));

  const select = [
    ...q.dimensions.map((d, i) => {
      const expr = isTime(d)
        ? timeBucketLabel(d, sql`timestamp`, q.site.timezone, range.firstDate)
        : eventDimensionSql(d as EventDimension | PropsDimension);
      return sql`${expr} AS ${alias('d', i)}`;
    }),
    ...q.metrics.map(
      (m, i) =>
        sql`${eventMetricSql(m, engagement && !ENGAGEMENT_METRICS.has(m) ? NOT_ENGAGEMENT : goal, denominators, siteCurrency(q))} AS ${alias('m', i)}`,
    ),
  ];
  const where = [siteScope(q.site, range, engagement ? 'with_engagement' : 'events')];
  if (eventCond && !goalMode) where.push(eventCond);
  if (visitCond)
    where.push(sql`session_id IN (${sessionsMatchingVisitFilters(q.site, range, visitCond, opts.sample)})`);
  const having: SqlFragment[] = [];
  // With a goal, a breakdown lists only rows that converted (as Plausible does).
  if (goal && q.dimensions.length > 0) having.push(sql`uniqIf(visitor_id, ${goal}) > 0`);
  // Pages are listed by their events; engagement pings alone do not make a row.
  if (engagement && q.dimensions.length > 0) having.push(sql`countIf(${NOT_ENGAGEMENT}) > 0`);
  return sql`SELECT ${joinSql(select, ', ')}
FROM ${rawEvents(opts.sample)} WHERE ${joinSql(where, ' AND ')}
${tail(q, opts, having)}`;
}

/** Session attributes that belong to the entry page's hostname. */
const ENTRY_HOSTNAME_DIMENSIONS = new Set<VisitDimension>([
  'visit:entry_page',
  'visit:source',
  'visit:referrer',
  'visit:utm_source',
  'visit:utm_medium',
  'visit:utm_campaign',
  'visit:utm_content',
  'visit:utm_term',
]);

function compileSessionsQuery(q: ParsedQuery, range: ResolvedDateRange, opts: CompileOptions): SqlFragment {
  const isGoalMode = isGoalQuery(q);
  const eventCond = clausesCondition(q.filters, 'event');
  const visitCond = clausesCondition(q.filters, 'visit');
  const hasEventFilter = eventCond !== null;

  const columns = [
    sql`session_id`,
    sql`any(visitor_id) AS s_visitor`,
    sql`min(timestamp) AS s_start`,
    sql`toUInt32(max(timestamp)) - toUInt32(min(timestamp)) AS s_duration`,
    sql`countIf(name = 'pageview') AS s_pageviews`,
    sql`count() AS s_events`,
  ];
  if (eventCond) {
    columns.push(sql`countIf(${eventCond}) AS s_matched`);
    columns.push(sql`countIf(name = 'pageview' AND ${eventCond}) AS s_matched_pageviews`);
  }
  const entered = q.metrics.includes('bounce_rate') ? entryPageCondition(q.filters) : null;
  if (entered) columns.push(sql`${entered} AS s_entered`);
  if (q.metrics.some((m) => REVENUE_METRICS.has(m))) {
    const revenue = eventCond
      ? sql`${revenueEvent(siteCurrency(q))} AND ${eventCond}`
      : revenueEvent(siteCurrency(q));
    columns.push(sql`sumIf(toFloat64(revenue_amount), ${revenue}) AS s_revenue`);
    columns.push(sql`countIf(${revenue}) AS s_revenue_events`);
  }
  const visitDims = q.dimensions.filter((d): d is VisitDimension => d.startsWith('visit:'));
  for (const d of visitDims) columns.push(sql`${VISIT_ATTRIBUTES[d].expr} AS ${VISIT_ATTRIBUTES[d].alias}`);

  const sessionHaving: SqlFragment[] = [];
  if (visitCond) sessionHaving.push(visitCond);
  // Event filters keep the sessions that contain a matching event (unless they define the goal).
  if (eventCond && !isGoalMode) sessionHaving.push(sql`countIf(${eventCond}) > 0`);
  // Under a hostname filter, acquisition and entry pages count only for sessions that entered on
  // that hostname, exit pages only for sessions that left from it (Plausible).
  if (visitDims.some((d) => ENTRY_HOSTNAME_DIMENSIONS.has(d))) {
    const onHost = sessionHostnameCondition(q.filters, ENTRY_HOSTNAME);
    if (onHost) sessionHaving.push(onHost);
  }
  if (visitDims.includes('visit:exit_page')) {
    const onHost = sessionHostnameCondition(q.filters, EXIT_HOSTNAME);
    if (onHost) sessionHaving.push(onHost);
  }
  const sessionHavingSql = allOf(sessionHaving);

  const select = [
    ...q.dimensions.map((d, i) => {
      const expr = isTime(d)
        ? timeBucketLabel(d, sql`s_start`, q.site.timezone, range.firstDate)
        : VISIT_ATTRIBUTES[d as VisitDimension].alias;
      return sql`${expr} AS ${alias('d', i)}`;
    }),
    ...q.metrics.map(
      (m, i) =>
        sql`${sessionMetricSql(m, {
          hasEventFilter,
          goalMode: isGoalMode,
          denominators: conversionDenominators(q, range, visitCond, opts.sample),
          bounceOnEntry: entered !== null,
        })} AS ${alias('m', i)}`,
    ),
  ];
  const outerWhere = visitDims
    .filter((d) => VISIT_ATTRIBUTES[d].skipEmpty)
    .map((d) => sql`${VISIT_ATTRIBUTES[d].alias} != ''`);
  const having: SqlFragment[] = [];
  if (isGoalMode && q.dimensions.length > 0) having.push(sql`countIf(s_matched > 0) > 0`);

  return sql`SELECT ${joinSql(select, ', ')}
FROM (
  SELECT ${joinSql(columns, ', ')}
  FROM ${rawEvents(opts.sample)} WHERE ${siteScope(q.site, range)}
  GROUP BY session_id${sessionHavingSql ? sql` HAVING ${sessionHavingSql}` : sql``}
)${outerWhere.length > 0 ? sql` WHERE ${joinSql(outerWhere, ' AND ')}` : sql``}
${tail(q, opts, having)}`;
}

// The output columns and the GROUP BY / ORDER BY / LIMIT tail, shared with the other tables' compilers.
export { alias as compileAlias, tail as compileTail };

/**
 * The SELECT for a parsed query: columns d0..dn (dimension labels) then m0..mn (raw metric
 * values, see finalizeMetric). Every scan of `events` is scoped to the site and range.
 */
export function compileQuery(q: ParsedQuery, opts: CompileOptions = {}): SqlFragment {
  const range = opts.range ?? q.range;
  if (opts.table === 'events_hourly') return compileRollupQuery(q, range, opts);
  if (opts.table === 'sessions') return compileSessionsTableQuery(q, range, opts);
  return q.source === 'sessions' ? compileSessionsQuery(q, range, opts) : compileEventsQuery(q, range, opts);
}

// SummingMergeTree: parts not yet merged hold several rows per hour, so always sum().
const ROLLUP_METRIC_SQL: Partial<Record<ParsedQuery['metrics'][number], SqlFragment>> = {
  pageviews: sql`sum(pageviews)`,
  events: sql`sum(events)`,
};

/**
 * Over the hourly rollup (only what table-decider.ts allows: unfiltered counts, time buckets,
 * a range on whole hours). Bucket labels come from the hour start in the site's zone.
 */
function compileRollupQuery(q: ParsedQuery, range: ResolvedDateRange, opts: CompileOptions): SqlFragment {
  const select = [
    ...q.dimensions.map((d, i) => {
      if (!isTime(d)) throw new TypeError(`${d} is not in the hourly rollup`);
      return sql`${timeBucketLabel(d, sql`hour`, q.site.timezone, range.firstDate)} AS ${alias('d', i)}`;
    }),
    ...q.metrics.map((m, i) => {
      const expr = ROLLUP_METRIC_SQL[m];
      if (!expr) throw new TypeError(`${m} is not in the hourly rollup`);
      return sql`${expr} AS ${alias('m', i)}`;
    }),
  ];
  return sql`SELECT ${joinSql(select, ', ')}
FROM events_hourly WHERE ${rollupScope(q.site, range)}
${tail(q, opts, [])}`;
}

/** The rollup's scan predicate: the site, then whole hours of the range. */
export function rollupScope(
  site: AuthorizedSite,
  range: Pick<ResolvedDateRange, 'from' | 'to'>,
): SqlFragment {
  return sql`site_id = ${site.id} AND hour >= ${range.from} AND hour < ${range.to}`;
}

/** Events in the range, from the rollup (hours that overlap it, so a slight over-estimate at most). */
export function compileRowsInRange(
  site: AuthorizedSite,
  range: Pick<ResolvedDateRange, 'from' | 'to'>,
): SqlFragment {
  const from = new Date(Math.floor(range.from.getTime() / 3_600_000) * 3_600_000);
  return sql`SELECT sum(events) AS rows FROM events_hourly WHERE ${rollupScope(site, { from, to: range.to })}`;
}

/** Rows of the breakdown before pagination (include.total_rows). */
export function compileTotalRows(
  q: ParsedQuery,
  opts: Pick<CompileOptions, 'table' | 'sample'> = {},
): SqlFragment {
  return sql`SELECT count() AS total FROM (${compileQuery(q, { ...opts, paginate: false })})`;
}

/** Distinct visitors with an event in the five minutes up to `now` (the "current visitors" badge). */
export function compileCurrentVisitors(site: AuthorizedSite, now: Date): SqlFragment {
  const from = new Date(Math.floor(now.getTime() / 1000) * 1000 - 5 * 60_000);
  const to = new Date(Math.floor(now.getTime() / 1000) * 1000 + 1000);
  return sql`SELECT uniq(visitor_id) AS visitors FROM events WHERE ${siteScope(site, { from, to })}`;
}

/** Whether the site has data, and its first and last event. */
export function compileSiteStatus(site: AuthorizedSite): SqlFragment {
  return sql`SELECT count() AS events, min(timestamp) AS first_at, max(timestamp) AS last_at FROM events WHERE site_id = ${site.id} AND ${NOT_ENGAGEMENT}`;
}

/** How many property keys a listing returns at most. */
export const MAX_PROPERTY_KEYS = 100;

/**
 * The custom property keys of the events passing the query's filters (a goal filter: that goal's
 * properties), with their visitors, most used first. `q.metrics`/`q.dimensions` are ignored.
 */
export function compilePropertyKeys(q: ParsedQuery, opts: Pick<CompileOptions, 'sample'> = {}): SqlFragment {
  const eventCond = clausesCondition(q.filters, 'event');
  const visitCond = clausesCondition(q.filters, 'visit');
  const where = [siteScope(q.site, q.range), sql`notEmpty(props_keys)`];
  if (eventCond) where.push(eventCond);
  if (visitCond)
    where.push(sql`session_id IN (${sessionsMatchingVisitFilters(q.site, q.range, visitCond, opts.sample)})`);
  return sql`SELECT key, uniq(visitor_id) AS visitors FROM (
  SELECT arrayJoin(props_keys) AS key, visitor_id FROM ${rawEvents(opts.sample)} WHERE ${joinSql(where, ' AND ')}
) GROUP BY key ORDER BY visitors DESC, key ASC LIMIT ${MAX_PROPERTY_KEYS}`;
}
