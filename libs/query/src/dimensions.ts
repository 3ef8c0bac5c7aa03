import { sql, type SqlFragment } from '@sightline/clickhouse';
import type { EventDimension, VisitDimension } from './query-request.schema';
import type { TimeGranularity } from './time-labels';

/**
 * The whitelist of SQL for each dimension. Identifiers only ever come from these maps, never
 * from the request.
 */

/** Event dimensions are plain columns of `events`. */
export const EVENT_DIMENSION_COLUMNS: Record<EventDimension, SqlFragment> = {
  'event:page': sql`pathname`,
  'event:name': sql`name`,
  'event:hostname': sql`hostname`,
};

interface VisitAttribute {
  /** Column alias in the per-session subquery. */
  alias: SqlFragment;
  /** Aggregate over one session's events (grouped by session_id), already in its display form. */
  expr: SqlFragment;
  /** Breakdowns leave out sessions without a value (Plausible does this for UTM tags). */
  skipEmpty?: boolean;
}

const firstValue = (column: SqlFragment): SqlFragment => sql`argMin(${column}, timestamp)`;
const orLabel = (expr: SqlFragment, label: string): SqlFragment => sql`if(${expr} = '', ${label}, ${expr})`;

/**
 * Visit dimensions are session attributes: pages from the first/last pageview, acquisition from
 * the session's first event (later pageviews carry an internal or empty referrer), device data
 * from any event of the session.
 */
export const VISIT_ATTRIBUTES: Record<VisitDimension, VisitAttribute> = {
  'visit:entry_page': {
    alias: sql`s_entry_page`,
    expr: sql`argMinIf(pathname, timestamp, name = 'pageview')`,
  },
  'visit:exit_page': {
    alias: sql`s_exit_page`,
    expr: sql`argMaxIf(pathname, timestamp, name = 'pageview')`,
  },
  'visit:source': { alias: sql`s_source`, expr: orLabel(firstValue(sql`referrer_source`), 'Direct / None') },
  'visit:referrer': { alias: sql`s_referrer`, expr: orLabel(firstValue(sql`referrer`), 'Direct / None') },
  'visit:utm_source': { alias: sql`s_utm_source`, expr: firstValue(sql`utm_source`), skipEmpty: true },
  'visit:utm_medium': { alias: sql`s_utm_medium`, expr: firstValue(sql`utm_medium`), skipEmpty: true },
  'visit:utm_campaign': { alias: sql`s_utm_campaign`, expr: firstValue(sql`utm_campaign`), skipEmpty: true },
  'visit:utm_content': { alias: sql`s_utm_content`, expr: firstValue(sql`utm_content`), skipEmpty: true },
  'visit:utm_term': { alias: sql`s_utm_term`, expr: firstValue(sql`utm_term`), skipEmpty: true },
  'visit:country': { alias: sql`s_country`, expr: orLabel(sql`any(country_code)`, '(not set)') },
  'visit:device': { alias: sql`s_device`, expr: orLabel(sql`any(device)`, '(not set)') },
  'visit:browser': { alias: sql`s_browser`, expr: orLabel(sql`any(browser)`, '(not set)') },
  'visit:os': { alias: sql`s_os`, expr: orLabel(sql`any(os)`, '(not set)') },
};

/**
 * The bucket label of a timestamp in the site's timezone. Only functions that exist on
 * ClickHouse 18.16 (no toStartOfInterval); the timezone is a string literal, as required.
 */
export function timeBucketLabel(
  granularity: TimeGranularity,
  ts: SqlFragment,
  timezone: string,
  firstDate: string,
): SqlFragment {
  switch (granularity) {
    case 'time:hour':
      return sql`formatDateTime(toStartOfHour(${ts}, ${timezone}), '%Y-%m-%d %H:00:00', ${timezone})`;
    case 'time:day':
      return sql`toString(toDate(${ts}, ${timezone}))`;
    case 'time:week':
      // The Monday of the week, but never before the range's first day (matches timeLabels).
      return sql`toString(greatest(toMonday(toDate(${ts}, ${timezone})), toDate(${firstDate})))`;
    case 'time:month':
      return sql`toString(toStartOfMonth(${ts}, ${timezone}))`;
  }
}
