import { joinSql, sql, type SqlFragment } from '@sightline/clickhouse';
import type { AuthorizedSite } from './authorized-site';
import { compileAlias, compileTail, type CompileOptions } from './compile-query';
import type { ResolvedDateRange } from './date-range';
import { timeBucketLabel, VISIT_ATTRIBUTES } from './dimensions';
import { visitClausesCondition } from './filters';
import { sessionMetricSql } from './metrics';
import type { ConcreteDimension, ParsedQuery } from './parse-query';
import type { Metric, VisitDimension } from './query-request.schema';
import type { TimeGranularity } from './time-labels';

/**
 * Queries over the `sessions` table (migration 006): one row per site, UTC hour, visitor and
 * session, holding -State aggregates of that session's events within the hour. Only what
 * table-decider.ts allows reaches this file: ranges on whole UTC hours, no event-level filters or
 * dimensions, no conversion metrics. Merging the hour rows of the range per session gives the same
 * per-session values the raw engine computes from the events of the range (compileSessionsQuery),
 * so the answers are equal, sampled or not (both tables sample by visitor_id).
 */

const label = (expr: SqlFragment, text: string): SqlFragment => sql`if(${expr} = '', ${text}, ${expr})`;

/**
 * Each visit attribute merged from the table's states, in the display form of VISIT_ATTRIBUTES
 * (same labels for empty values). A visit dimension missing here is answered from raw events.
 */
export const SESSIONS_TABLE_ATTRIBUTES: Partial<Record<VisitDimension, SqlFragment>> = {
  'visit:entry_page': sql`argMinMerge(entry_page)`,
  'visit:exit_page': sql`argMaxIfMerge(exit_page)`,
  'visit:source': label(sql`argMinMerge(referrer_source)`, 'Direct / None'),
  'visit:referrer': label(sql`argMinMerge(referrer)`, 'Direct / None'),
  'visit:utm_source': sql`argMinMerge(utm_source)`,
  'visit:utm_medium': sql`argMinMerge(utm_medium)`,
  'visit:utm_campaign': sql`argMinMerge(utm_campaign)`,
  'visit:utm_content': sql`argMinMerge(utm_content)`,
  'visit:utm_term': sql`argMinMerge(utm_term)`,
  'visit:country': label(sql`argMinMerge(country_code)`, '(not set)'),
  'visit:device': label(sql`argMinMerge(device)`, '(not set)'),
  'visit:browser': label(sql`argMinMerge(browser)`, '(not set)'),
  'visit:os': label(sql`argMinMerge(os)`, '(not set)'),
};

/** Metrics of an events-source query (no session metric) that the hour rows answer directly. */
const HOUR_ROW_METRICS: Partial<Record<Metric, SqlFragment>> = {
  visitors: sql`uniq(visitor_id)`,
  visits: sql`uniq(session_id)`,
  pageviews: sql`sumMerge(pageviews)`,
  events: sql`countMerge(events)`,
};

export function sessionsTableAttribute(d: VisitDimension): SqlFragment {
  const expr = SESSIONS_TABLE_ATTRIBUTES[d];
  if (!expr) throw new TypeError(`${d} is not in the sessions table`);
  return expr;
}

export function hourRowMetric(m: Metric): SqlFragment | null {
  return HOUR_ROW_METRICS[m] ?? null;
}

function isTime(d: ConcreteDimension): d is TimeGranularity {
  return d.startsWith('time:');
}

/** `sessions`, or `sessions SAMPLE 1/N` (the same visitors as `events SAMPLE 1/N`). */
function sessionsTable(sample: number | null | undefined): SqlFragment {
  if (sample === null || sample === undefined || sample <= 1) return sql`sessions`;
  if (!Number.isInteger(sample)) throw new RangeError('sample denominator must be an integer');
  return sql`sessions SAMPLE 1/${sample}`;
}

/**
 * The table's scan predicate: the site, then the hours of the range (whole hours, see the
 * decider). The toDate bounds hit the sort key (site_id, toDate(hour), ...).
 */
export function sessionsScope(
  site: AuthorizedSite,
  range: Pick<ResolvedDateRange, 'from' | 'to'>,
): SqlFragment {
  const lastHour = new Date(range.to.getTime() - 3_600_000);
  return sql`site_id = ${site.id} AND toDate(hour) >= toDate(${range.from}) AND toDate(hour) <= toDate(${lastHour}) AND hour >= ${range.from} AND hour < ${range.to}`;
}

/** A visit-metric query (source `sessions`): merge each session's hour rows, then aggregate sessions. */
function compileSessionMetrics(q: ParsedQuery, range: ResolvedDateRange, opts: CompileOptions): SqlFragment {
  const wants = (...metrics: Metric[]): boolean => q.metrics.some((m) => metrics.includes(m));
  const columns = [sql`session_id`];
  if (wants('visitors')) columns.push(sql`any(visitor_id) AS s_visitor`);
  if (q.dimensions.some(isTime)) columns.push(sql`minMerge(start) AS s_start`);
  if (wants('visit_duration'))
    columns.push(sql`toUInt32(maxMerge(end)) - toUInt32(minMerge(start)) AS s_duration`);
  if (wants('pageviews', 'bounce_rate', 'views_per_visit'))
    columns.push(sql`sumMerge(pageviews) AS s_pageviews`);
  if (wants('events', 'bounce_rate')) columns.push(sql`countMerge(events) AS s_events`);
  const visitDims = q.dimensions.filter((d): d is VisitDimension => d.startsWith('visit:'));
  for (const d of visitDims) columns.push(sql`${sessionsTableAttribute(d)} AS ${VISIT_ATTRIBUTES[d].alias}`);
  const visitCond = visitClausesCondition(q.filters, sessionsTableAttribute);

  const context = {
    hasEventFilter: false,
    goalMode: false,
    denominators: { conversion_rate: null, group_conversion_rate: null },
  };
  const select = [
    ...q.dimensions.map((d, i) => {
      const expr = isTime(d)
        ? timeBucketLabel(d, sql`s_start`, q.site.timezone, range.firstDate)
        : VISIT_ATTRIBUTES[d as VisitDimension].alias;
      return sql`${expr} AS ${compileAlias('d', i)}`;
    }),
    ...q.metrics.map((m, i) => sql`${sessionMetricSql(m, context)} AS ${compileAlias('m', i)}`),
  ];
  const outerWhere = visitDims
    .filter((d) => VISIT_ATTRIBUTES[d].skipEmpty)
    .map((d) => sql`${VISIT_ATTRIBUTES[d].alias} != ''`);

  return sql`SELECT ${joinSql(select, ', ')}
FROM (
  SELECT ${joinSql(columns, ', ')}
  FROM ${sessionsTable(opts.sample)} WHERE ${sessionsScope(q.site, range)}
  GROUP BY session_id${visitCond ? sql` HAVING ${visitCond}` : sql``}
)${outerWhere.length > 0 ? sql` WHERE ${joinSql(outerWhere, ' AND ')}` : sql``}
${compileTail(q, opts, [])}`;
}

/**
 * Unfiltered counts (source `events`), in total or per time bucket: straight from the hour rows,
 * no regrouping (a visitor or session with an event in a bucket has a row in one of its hours).
 */
function compileHourRowCounts(q: ParsedQuery, range: ResolvedDateRange, opts: CompileOptions): SqlFragment {
  const select = [
    ...q.dimensions.map((d, i) => {
      if (!isTime(d)) throw new TypeError(`${d} is not answered from the hour rows`);
      return sql`${timeBucketLabel(d, sql`hour`, q.site.timezone, range.firstDate)} AS ${compileAlias('d', i)}`;
    }),
    ...q.metrics.map((m, i) => {
      const expr = hourRowMetric(m);
      if (!expr) throw new TypeError(`${m} is not answered from the hour rows`);
      return sql`${expr} AS ${compileAlias('m', i)}`;
    }),
  ];
  return sql`SELECT ${joinSql(select, ', ')}
FROM ${sessionsTable(opts.sample)} WHERE ${sessionsScope(q.site, range)}
${compileTail(q, opts, [])}`;
}

/** The SELECT over `sessions` for a query the decider gave to it (columns d0..dn, m0..mn). */
export function compileSessionsTableQuery(
  q: ParsedQuery,
  range: ResolvedDateRange,
  opts: CompileOptions,
): SqlFragment {
  return q.source === 'sessions'
    ? compileSessionMetrics(q, range, opts)
    : compileHourRowCounts(q, range, opts);
}
