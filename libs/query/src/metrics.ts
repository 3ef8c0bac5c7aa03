import { sql, type SqlFragment } from '@sightline/clickhouse';
import type { Metric } from './query-request.schema';

/** Metrics that need whole sessions; they cannot be split by event dimensions. */
export const SESSION_METRICS = new Set<Metric>(['bounce_rate', 'visit_duration', 'views_per_visit']);

/**
 * Metrics read from engagement pings (rows named `engagement`), per page: they need the event:page
 * dimension or none, and the events source (see parse-query.ts).
 */
export const ENGAGEMENT_METRICS = new Set<Metric>(['scroll_depth', 'time_on_page']);

/** Metrics that make the event filters define a goal instead of narrowing the counted events. */
export const CONVERSION_METRICS = new Set<Metric>(['conversion_rate', 'group_conversion_rate']);

/** Sum and average of the revenue of goal events, in the site's currency. */
export const REVENUE_METRICS = new Set<Metric>(['total_revenue', 'average_revenue']);

/** Site currency when the site row has none (Plausible's default too). */
export const DEFAULT_CURRENCY = 'USD';

/**
 * An event with revenue in the site's currency. There are no exchange rates here: revenue sent in
 * another currency is left out of the sums rather than added at a wrong rate.
 */
export function revenueEvent(currency: string): SqlFragment {
  return sql`(revenue_currency = ${currency} AND revenue_amount != 0)`;
}

/**
 * What a conversion rate divides by. `total` is a scalar subquery of all visitors (visit filters
 * applied, no breakdown); null means "the visitors of this row".
 * - conversion_rate: all visitors, whatever the breakdown (Plausible's definition), except per time
 *   bucket, where it is that bucket's visitors.
 * - group_conversion_rate: the visitors of the row; but rows of an `event:name` breakdown are goals
 *   and hold only their converters, so those too divide by all visitors.
 */
export interface ConversionDenominators {
  conversion_rate: SqlFragment | null;
  group_conversion_rate: SqlFragment | null;
}

function conversionSql(
  converted: SqlFragment,
  rowVisitors: SqlFragment,
  total: SqlFragment | null,
): SqlFragment {
  const base = total ?? rowVisitors;
  return sql`if(${base} = 0, 0, 100 * ${converted} / ${base})`;
}

/**
 * SQL over raw `events` rows. `goal` is set when a conversion metric is asked: the goal filter then
 * narrows the counted events instead of the WHERE, so the denominator (all visitors) survives.
 */
export function eventMetricSql(
  metric: Metric,
  goal: SqlFragment | null,
  denominators: ConversionDenominators,
  currency: string = DEFAULT_CURRENCY,
): SqlFragment {
  const revenue = goal ? sql`${revenueEvent(currency)} AND ${goal}` : revenueEvent(currency);
  switch (metric) {
    case 'total_revenue':
      return sql`sumIf(toFloat64(revenue_amount), ${revenue})`;
    case 'average_revenue':
      return sql`if(countIf(${revenue}) = 0, 0, sumIf(toFloat64(revenue_amount), ${revenue}) / countIf(${revenue}))`;
    case 'visitors':
      return goal ? sql`uniqIf(visitor_id, ${goal})` : sql`uniq(visitor_id)`;
    case 'visits':
      return goal ? sql`uniqIf(session_id, ${goal})` : sql`uniq(session_id)`;
    case 'pageviews':
      return goal ? sql`countIf(name = 'pageview' AND ${goal})` : sql`countIf(name = 'pageview')`;
    case 'events':
      return goal ? sql`countIf(${goal})` : sql`count()`;
    case 'conversion_rate':
    case 'group_conversion_rate':
      return conversionSql(
        sql`uniqIf(visitor_id, ${goal ?? sql`1`})`,
        sql`uniq(visitor_id)`,
        denominators[metric],
      );
    case 'scroll_depth':
    case 'time_on_page':
      return engagementMetricSql(metric);
    default:
      throw new TypeError(`${metric} is a session metric`);
  }
}

const ENGAGEMENT = sql`name = 'engagement'`;

/**
 * Over the engagement rows of the group (the compiler adds them to the scan for these metrics).
 * - scroll_depth (Plausible's name): the average over visitors of each visitor's deepest scroll on
 *   a page (max per visitor and page, so a page read twice counts once, at its deepest). On 18.16,
 *   without maxMap: pairs (visitor+page key, depth) sorted descending, the first pair of each key
 *   is its maximum.
 * - time_on_page: engaged seconds on the page per visitor who engaged with it.
 * NaN (no engagement rows) becomes null in finalizeMetric.
 */
function engagementMetricSql(metric: 'scroll_depth' | 'time_on_page'): SqlFragment {
  if (metric === 'time_on_page')
    return sql`if(uniqIf(visitor_id, ${ENGAGEMENT}) = 0, nan, sumIf(engagement_time, ${ENGAGEMENT}) / 1000 / uniqIf(visitor_id, ${ENGAGEMENT}))`;
  const pairs = sql`arrayReverseSort(groupArrayIf((cityHash64(visitor_id, pathname), scroll_depth), ${ENGAGEMENT}))`;
  return sql`arrayReduce('avg', arrayMap(t -> t.2, arrayFilter((t, i) -> i = 1, ${pairs}, arrayEnumerateUniq(arrayMap(t -> t.1, ${pairs})))))`;
}

export interface SessionMetricContext {
  /** The sessions subquery has s_matched / s_matched_pageviews (events passing the event filters). */
  hasEventFilter: boolean;
  /** conversion_rate mode: s_matched counts goal events and does not restrict the sessions. */
  goalMode: boolean;
  denominators: ConversionDenominators;
  /**
   * The sessions subquery has s_entered (the session entered on a page of the event:page filters):
   * bounce_rate then counts only those sessions, as Plausible does; the other metrics use all.
   */
  bounceOnEntry?: boolean;
}

/**
 * SQL over the per-session subquery (one row per session: s_visitor, s_pageviews, s_events,
 * s_duration, s_matched...). Rates are returned unrounded; `finalizeMetric` rounds in one place.
 */
export function sessionMetricSql(metric: Metric, ctx: SessionMetricContext): SqlFragment {
  const converted = sql`s_matched > 0`;
  switch (metric) {
    case 'visitors':
      return ctx.goalMode ? sql`uniqIf(s_visitor, ${converted})` : sql`uniq(s_visitor)`;
    case 'visits':
      return ctx.goalMode ? sql`countIf(${converted})` : sql`count()`;
    case 'pageviews':
      return ctx.hasEventFilter ? sql`sum(s_matched_pageviews)` : sql`sum(s_pageviews)`;
    case 'events':
      return ctx.hasEventFilter ? sql`sum(s_matched)` : sql`sum(s_events)`;
    case 'bounce_rate':
      // A bounce: the session's only event is one pageview.
      return ctx.bounceOnEntry
        ? sql`if(countIf(s_entered) = 0, 0, 100 * countIf(s_entered AND s_events = 1 AND s_pageviews = 1) / countIf(s_entered))`
        : sql`if(count() = 0, 0, 100 * countIf(s_events = 1 AND s_pageviews = 1) / count())`;
    case 'visit_duration':
      return sql`if(count() = 0, 0, avg(s_duration))`;
    case 'views_per_visit':
      return sql`if(count() = 0, 0, sum(s_pageviews) / count())`;
    case 'total_revenue':
      return sql`sum(s_revenue)`;
    case 'average_revenue':
      return sql`if(sum(s_revenue_events) = 0, 0, sum(s_revenue) / sum(s_revenue_events))`;
    case 'conversion_rate':
    case 'group_conversion_rate':
      return conversionSql(
        sql`uniqIf(s_visitor, ${ctx.goalMode ? converted : sql`1`})`,
        sql`uniq(s_visitor)`,
        ctx.denominators[metric],
      );
    case 'scroll_depth':
    case 'time_on_page':
      throw new TypeError(`${metric} is read from engagement rows, not sessions`);
  }
}

/** Half away from zero, like Plausible (ClickHouse's round() is banker's rounding for floats). */
function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor + 1e-9)) / factor;
}

/** Counts (visitors, visits, pageviews, events) read from a 1/N sample, scaled back by N; rates stay as they are. */
export function scaleSampledMetric(metric: Metric, raw: unknown, sample: number | null): unknown {
  if (sample === null || raw === null || raw === undefined) return raw;
  switch (metric) {
    case 'visitors':
    case 'visits':
    case 'pageviews':
    case 'events':
      return Math.round(Number(raw) * sample);
    default:
      return raw;
  }
}

/** ClickHouse returns 64-bit counts as strings; rates as floats (NaN as null). */
export function finalizeMetric(metric: Metric, raw: unknown): number | null {
  if (raw === null || raw === undefined) return null;
  const value = Number(raw);
  if (!Number.isFinite(value)) return null;
  switch (metric) {
    case 'bounce_rate':
    case 'visit_duration':
    case 'scroll_depth':
    case 'time_on_page':
      return roundTo(value, 0);
    case 'views_per_visit':
    case 'conversion_rate':
    case 'group_conversion_rate':
    case 'total_revenue':
    case 'average_revenue':
      return roundTo(value, 2);
    default:
      return value;
  }
}

/**
 * Change against the comparison period: percentage points for rates, otherwise percent
 * (from 0 to something is +100%, 0 to 0 is 0), rounded like Plausible.
 */
export function metricChange(metric: Metric, current: number | null, previous: number | null): number | null {
  if (current === null || previous === null) return null;
  if (metric === 'bounce_rate') return roundTo(current - previous, 0);
  if (CONVERSION_METRICS.has(metric)) return roundTo(current - previous, 1);
  if (previous === 0) return current > 0 ? 100 : 0;
  return roundTo(((current - previous) / previous) * 100, 0);
}
