import type {
  DateRange,
  EventDimension,
  Filter,
  FilterOperator,
  Metric,
  NamedDateRange,
  PropsDimension,
  VisitDimension,
} from './query-types';

/**
 * Everything a site dashboard shows is derived from its URL search params, so a view can be bookmarked
 * or shared: `period`, `from`/`to` (custom), repeated `f=is,<dimension>,<value>`, `metric`, `interval`,
 * `compare=1`.
 */

export type Period = NamedDateRange | 'custom';
export type Interval = 'hour' | 'day' | 'week' | 'month';
export type TopMetric =
  'visitors' | 'visits' | 'pageviews' | 'bounce_rate' | 'visit_duration' | 'events' | 'conversion_rate';

export const PERIODS: { value: Period; label: string }[] = [
  { value: 'day', label: 'Today' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: 'month', label: 'This month' },
  { value: '6mo', label: 'Last 6 months' },
  { value: '12mo', label: 'Last 12 months' },
  { value: 'all', label: 'All time' },
  { value: 'custom', label: 'Custom range' },
];

export const TOP_METRICS: { value: TopMetric; label: string }[] = [
  { value: 'visitors', label: 'Unique visitors' },
  { value: 'visits', label: 'Total visits' },
  { value: 'pageviews', label: 'Total pageviews' },
  { value: 'bounce_rate', label: 'Bounce rate' },
  { value: 'visit_duration', label: 'Visit duration' },
];

/** With a goal filter the cards count conversions instead (as Plausible's dashboard does). */
export const GOAL_TOP_METRICS: { value: TopMetric; label: string }[] = [
  { value: 'visitors', label: 'Unique conversions' },
  { value: 'events', label: 'Total conversions' },
  { value: 'conversion_rate', label: 'Conversion rate' },
];

/** A goal filter: `is` on a custom event name (a row of the Goals panel) or on a goal. */
export function hasGoalFilter(filters: Filter[]): boolean {
  return filters.some(
    ([op, dimension]) => op === 'is' && (dimension === 'event:name' || dimension === 'event:goal'),
  );
}

export function topMetricsFor(filters: Filter[]): { value: TopMetric; label: string }[] {
  return hasGoalFilter(filters) ? GOAL_TOP_METRICS : TOP_METRICS;
}

/** Dimensions the filter dialog offers. */
export type NamedFilterDimension = EventDimension | VisitDimension | 'event:goal';
/** Also `event:props:<key>` (a clicked property value). */
export type FilterDimension = NamedFilterDimension | PropsDimension;

const PROPS_PREFIX = 'event:props:';

export const FILTER_DIMENSIONS: Record<NamedFilterDimension, string> = {
  'event:page': 'Page',
  'event:name': 'Event',
  'event:goal': 'Goal',
  'event:hostname': 'Hostname',
  'visit:entry_page': 'Entry page',
  'visit:exit_page': 'Exit page',
  'visit:source': 'Source',
  'visit:referrer': 'Referrer',
  'visit:utm_source': 'UTM source',
  'visit:utm_medium': 'UTM medium',
  'visit:utm_campaign': 'UTM campaign',
  'visit:utm_content': 'UTM content',
  'visit:utm_term': 'UTM term',
  'visit:country': 'Country',
  'visit:device': 'Device',
  'visit:browser': 'Browser',
  'visit:os': 'Operating system',
};

export const FILTER_OPERATOR_LABELS: Record<FilterOperator, string> = {
  is: 'is',
  is_not: 'is not',
  contains: 'contains',
  contains_not: 'does not contain',
  matches: 'matches',
  matches_not: 'does not match',
};

/** "Page", "Country"… or "Property plan" for `event:props:plan`. */
export function filterDimensionLabel(dimension: FilterDimension): string {
  return dimension.startsWith(PROPS_PREFIX)
    ? `Property ${dimension.slice(PROPS_PREFIX.length)}`
    : FILTER_DIMENSIONS[dimension as NamedFilterDimension];
}

export interface DashboardState {
  period: Period;
  from: string | null;
  to: string | null;
  filters: Filter[];
  metric: TopMetric;
  interval: Interval;
  compare: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const periodValues = new Set<string>(PERIODS.map((p) => p.value));
const intervalValues = new Set<string>(['hour', 'day', 'week', 'month']);

function isFilterDimension(value: string): value is FilterDimension {
  if (value.startsWith(PROPS_PREFIX)) {
    const key = value.slice(PROPS_PREFIX.length);
    // eslint-disable-next-line no-control-regex
    return key.length > 0 && key.length <= 300 && !/[\u0000-\u001f\u007f]/.test(key);
  }
  return Object.hasOwn(FILTER_DIMENSIONS, value);
}

/** Days between two YYYY-MM-DD dates, inclusive. */
export function daysInRange(from: string, to: string): number {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b)) return 1;
  return Math.max(1, Math.round((b - a) / 86_400_000) + 1);
}

/** Intervals that make sense for a range; the first is the default. */
export function allowedIntervals(period: Period, from: string | null, to: string | null): Interval[] {
  switch (period) {
    case 'day':
      return ['hour'];
    case '7d':
      return ['day', 'hour'];
    case '28d':
    case '30d':
    case 'month':
      return ['day', 'week'];
    case '6mo':
    case '12mo':
    case 'year':
    case 'all':
      return ['month', 'week', 'day'];
    case 'custom': {
      const days = from && to ? daysInRange(from, to) : 30;
      if (days <= 1) return ['hour'];
      if (days <= 7) return ['day', 'hour'];
      if (days <= 93) return ['day', 'week', 'month'];
      return ['month', 'week', 'day'];
    }
  }
}

export function parseDashboardState(params: URLSearchParams): DashboardState {
  const rawPeriod = params.get('period') ?? '30d';
  let period: Period = periodValues.has(rawPeriod) ? (rawPeriod as Period) : '30d';
  let from = params.get('from');
  let to = params.get('to');
  if (period === 'custom') {
    if (!from || !to || !DATE.test(from) || !DATE.test(to)) {
      period = '30d';
      from = null;
      to = null;
    } else if (from > to) {
      [from, to] = [to, from];
    }
  } else {
    from = null;
    to = null;
  }

  const filters: Filter[] = [];
  for (const raw of params.getAll('f')) {
    // `op,dimension,value` — the value may itself contain commas.
    const first = raw.indexOf(',');
    const second = first < 0 ? -1 : raw.indexOf(',', first + 1);
    if (second < 0) continue;
    const op = raw.slice(0, first);
    const dimension = raw.slice(first + 1, second);
    const value = raw.slice(second + 1);
    if (Object.hasOwn(FILTER_OPERATOR_LABELS, op) && isFilterDimension(dimension)) {
      filters.push([op as FilterOperator, dimension, [value]]);
    }
  }

  const rawMetric = params.get('metric') ?? 'visitors';
  const metric = topMetricsFor(filters).some((m) => m.value === rawMetric)
    ? (rawMetric as TopMetric)
    : 'visitors';

  const intervals = allowedIntervals(period, from, to);
  const rawInterval = params.get('interval');
  const interval =
    rawInterval && intervalValues.has(rawInterval) && intervals.includes(rawInterval as Interval)
      ? (rawInterval as Interval)
      : (intervals[0] ?? 'day');

  return { period, from, to, filters, metric, interval, compare: params.get('compare') === '1' };
}

export function serializeFilter(filter: Filter): string {
  return `${filter[0]},${filter[1]},${filter[2][0] ?? ''}`;
}

/** Applies a patch to the current params and returns the new query string (without `?`). */
export function withDashboardState(current: URLSearchParams, patch: Partial<DashboardState>): string {
  const next = new URLSearchParams(current);
  if (patch.period !== undefined) {
    if (patch.period === '30d') next.delete('period');
    else next.set('period', patch.period);
    if (patch.period !== 'custom') {
      next.delete('from');
      next.delete('to');
    }
    // A new range usually wants its own default interval.
    if (patch.interval === undefined) next.delete('interval');
  }
  if (patch.from !== undefined) {
    if (patch.from) next.set('from', patch.from);
    else next.delete('from');
  }
  if (patch.to !== undefined) {
    if (patch.to) next.set('to', patch.to);
    else next.delete('to');
  }
  if (patch.filters !== undefined) {
    next.delete('f');
    for (const filter of patch.filters) next.append('f', serializeFilter(filter));
  }
  if (patch.metric !== undefined) {
    if (patch.metric === 'visitors') next.delete('metric');
    else next.set('metric', patch.metric);
  }
  if (patch.interval !== undefined) next.set('interval', patch.interval);
  if (patch.compare !== undefined) {
    if (patch.compare) next.set('compare', '1');
    else next.delete('compare');
  }
  return next.toString();
}

export function toDateRange(state: Pick<DashboardState, 'period' | 'from' | 'to'>): DateRange {
  if (state.period === 'custom' && state.from && state.to) return [state.from, state.to];
  return state.period === 'custom' ? '30d' : state.period;
}

export function sameFilter(a: Filter, b: Filter): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2][0] === b[2][0];
}

/** Adds a filter, replacing any other filter with the same operator on the same dimension. */
export function setFilter(filters: Filter[], filter: Filter): Filter[] {
  const rest = filters.filter((f) => !(f[1] === filter[1] && f[0] === filter[0]));
  return [...rest, filter];
}

/** Adds `is dimension value` (a clicked breakdown row), replacing any other `is` on that dimension. */
export function addFilter(filters: Filter[], dimension: FilterDimension, value: string): Filter[] {
  return setFilter(filters, ['is', dimension, [value]]);
}

export function periodLabel(state: Pick<DashboardState, 'period' | 'from' | 'to'>): string {
  if (state.period === 'custom' && state.from && state.to) {
    return state.from === state.to ? state.from : `${state.from} – ${state.to}`;
  }
  return PERIODS.find((p) => p.value === state.period)?.label ?? 'Last 30 days';
}

/** Metric → previous-period comparison is "good" when it goes down (bounce rate). */
export function invertedMetric(metric: Metric): boolean {
  return metric === 'bounce_rate';
}
