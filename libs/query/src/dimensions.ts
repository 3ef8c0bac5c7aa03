import { sql, type SqlFragment } from '@sightline/clickhouse';
import {
  propKeyOf,
  type EventDimension,
  type PropsDimension,
  type VisitDimension,
} from './query-request.schema';
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

/** What an event without the property shows (and matches), as in Plausible. */
export const NO_PROP_VALUE = '(none)';

/** One custom property of an event: its value, or `(none)` when the event does not carry the key. */
export function propValueSql(key: string): SqlFragment {
  return sql`if(has(props_keys, ${key}), props_values[indexOf(props_keys, ${key})], ${NO_PROP_VALUE})`;
}

/** SQL of an event dimension: a column, or a custom property's value. */
export function eventDimensionSql(d: EventDimension | PropsDimension): SqlFragment {
  const key = propKeyOf(d);
  return key === null ? EVENT_DIMENSION_COLUMNS[d as EventDimension] : propValueSql(key);
}

interface VisitAttribute {
  /** Column alias in the per-session subquery. */
  alias: SqlFragment;
  /** Aggregate over one session's events (grouped by session_id), already in its display form. */
  expr: SqlFragment;
  /** Breakdowns leave out sessions without a value (Plausible does this for UTM tags). */
  skipEmpty?: boolean;
}

/**
 * The order of a session's events. Timestamps have one-second resolution, so ties are common (a
 * landing pageview and a custom event sent at once): within a second the pageview comes first, as it
 * does in the browser, then the event id breaks any remaining tie, so the answer never depends on
 * the order ClickHouse happens to read parts in. The sessions table (migration 006) keeps the same
 * order as a 13-byte big-endian string (cheaper to merge than a tuple); sessions-order-key.int.spec.ts
 * holds the two to the same first and last event.
 */
export const SESSION_EVENT_ORDER = sql`(timestamp, name != 'pageview', event_id)`;

const firstValue = (column: SqlFragment): SqlFragment => sql`argMin(${column}, ${SESSION_EVENT_ORDER})`;
/** The hostname of the session's entry page (its first event). */
export const ENTRY_HOSTNAME = firstValue(sql`hostname`);
/** The hostname of the session's exit page (its last pageview). */
export const EXIT_HOSTNAME = sql`argMaxIf(hostname, ${SESSION_EVENT_ORDER}, name = 'pageview')`;
const orLabel = (expr: SqlFragment, label: string): SqlFragment => sql`if(${expr} = '', ${label}, ${expr})`;

/**
 * Visit dimensions are session attributes, all taken from the session's first event (in
 * SESSION_EVENT_ORDER), as Plausible does: entry page, acquisition (later pageviews carry an
 * internal or empty referrer) and device data. The exit page is the last pageview's path.
 */
export const VISIT_ATTRIBUTES: Record<VisitDimension, VisitAttribute> = {
  'visit:entry_page': {
    alias: sql`s_entry_page`,
    expr: firstValue(sql`pathname`),
  },
  'visit:exit_page': {
    alias: sql`s_exit_page`,
    expr: sql`argMaxIf(pathname, ${SESSION_EVENT_ORDER}, name = 'pageview')`,
  },
  'visit:source': { alias: sql`s_source`, expr: orLabel(firstValue(sql`referrer_source`), 'Direct / None') },
  'visit:referrer': { alias: sql`s_referrer`, expr: orLabel(firstValue(sql`referrer`), 'Direct / None') },
  'visit:utm_source': { alias: sql`s_utm_source`, expr: firstValue(sql`utm_source`), skipEmpty: true },
  'visit:utm_medium': { alias: sql`s_utm_medium`, expr: firstValue(sql`utm_medium`), skipEmpty: true },
  'visit:utm_campaign': { alias: sql`s_utm_campaign`, expr: firstValue(sql`utm_campaign`), skipEmpty: true },
  'visit:utm_content': { alias: sql`s_utm_content`, expr: firstValue(sql`utm_content`), skipEmpty: true },
  'visit:utm_term': { alias: sql`s_utm_term`, expr: firstValue(sql`utm_term`), skipEmpty: true },
  'visit:country': { alias: sql`s_country`, expr: orLabel(firstValue(sql`country_code`), '(not set)') },
  'visit:device': { alias: sql`s_device`, expr: orLabel(firstValue(sql`device`), '(not set)') },
  'visit:browser': { alias: sql`s_browser`, expr: orLabel(firstValue(sql`browser`), '(not set)') },
  'visit:os': { alias: sql`s_os`, expr: orLabel(firstValue(sql`os`), '(not set)') },
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
