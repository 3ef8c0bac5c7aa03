import type { z } from 'zod';
import type { AuthorizedSite } from './authorized-site';
import { resolveDateRange, rangeDays, type ResolvedDateRange } from './date-range';
import { filterLeaves, isEventFilter, type FilterClause, type FilterNode } from './filters';
import { CONVERSION_METRICS, ENGAGEMENT_METRICS, REVENUE_METRICS, SESSION_METRICS } from './metrics';
import {
  queryRequestSchema,
  type ComparisonMode,
  type Dimension,
  type Metric,
  type NormalizedQueryRequest,
  type QueryFilter,
} from './query-request.schema';
import { fieldPath, QueryValidationError } from './query-validation.error';
import { autoGranularity, MAX_HOUR_BUCKET_DAYS, type TimeGranularity } from './time-labels';

/** A dimension after `time` has been resolved to a granularity. */
export type ConcreteDimension = Exclude<Dimension, 'time'>;

export type OrderDirection = 'asc' | 'desc';

/** A validated query, ready to compile. */
export interface ParsedQuery {
  site: AuthorizedSite;
  metrics: Metric[];
  dimensions: ConcreteDimension[];
  /** The top-level filters (nested `and`s flattened), and-ed together. */
  filters: FilterClause[];
  range: ResolvedDateRange;
  orderBy: [Metric | ConcreteDimension, OrderDirection][];
  limit: number;
  offset: number;
  comparison: ComparisonMode | null;
  timeLabels: boolean;
  totalRows: boolean;
  /**
   * `events`: aggregate raw events (event dimensions, count metrics).
   * `sessions`: aggregate one row per session (visit dimensions or session metrics).
   */
  source: 'events' | 'sessions';
  request: NormalizedQueryRequest;
}

export interface ParseContext {
  now?: Date;
  /** The site's first event; only needed for `date_range: "all"`. */
  firstEventAt?: Date | null;
}

export function isTimeDimension(d: Dimension): d is TimeGranularity | 'time' {
  return d === 'time' || d.startsWith('time:');
}

function validate(input: unknown): NormalizedQueryRequest {
  return validateWith(queryRequestSchema, input);
}

/** Parses with a request schema; the first problem becomes a QueryValidationError naming its field. */
export function validateWith<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (!issue) throw new QueryValidationError('body', 'invalid query');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    throw new QueryValidationError(fieldPath([...issue.path, key]), 'unknown field');
  }
  const field = fieldPath(issue.path);
  // A bad enum member names its allowed values; make it read well.
  throw new QueryValidationError(field, issue.message);
}

function toFilterNode(f: QueryFilter, field: string): FilterNode {
  switch (f[0]) {
    case 'and':
    case 'or':
      return { type: f[0], children: f[1].map((child, i) => toFilterNode(child, `${field}[1][${i}]`)) };
    case 'not':
      return { type: 'not', child: toFilterNode(f[1], `${field}[1]`) };
    default:
      return { type: 'leaf', condition: { op: f[0], dimension: f[1], values: f[2], field } };
  }
}

/** Top-level `and`s are flattened; every other filter becomes one clause of a single scope. */
function filterClauses(filters: QueryFilter[], path: string, out: FilterClause[]): void {
  filters.forEach((f, i) => {
    const field = `${path}[${i}]`;
    if (f[0] === 'and') return filterClauses(f[1], `${field}[1]`, out);
    const node = toFilterNode(f, field);
    const leaves = filterLeaves(node);
    const scope = isEventFilter(leaves[0]!) ? 'event' : 'visit';
    const odd = leaves.find((leaf) => (isEventFilter(leaf) ? 'event' : 'visit') !== scope);
    if (odd)
      throw new QueryValidationError(
        odd.field,
        `"${f[0]}" cannot combine event:* and visit:* filters; put them in separate top-level filters`,
      );
    out.push({ scope, node, field });
  });
}

/**
 * Validates a request (schema, then combinations) and resolves what depends on the site and
 * the clock. Pure: the caller supplies `now` and, for `all`, the first event time.
 */
export function parseQuery(site: AuthorizedSite, input: unknown, ctx: ParseContext = {}): ParsedQuery {
  const request = validate(input);
  const range = resolveDateRange(request.date_range, {
    timezone: site.timezone,
    now: ctx.now ?? new Date(),
    firstEventAt: ctx.firstEventAt ?? null,
    ...(site.createdAt ? { siteCreatedAt: site.createdAt } : {}),
  });

  const metrics = request.metrics;
  metrics.forEach((m, i) => {
    if (metrics.indexOf(m) !== i) throw new QueryValidationError(`metrics[${i}]`, `${m} is listed twice`);
  });

  const dimensions: ConcreteDimension[] = [];
  let timeCount = 0;
  request.dimensions.forEach((d, i) => {
    const field = `dimensions[${i}]`;
    if (request.dimensions.indexOf(d) !== i) throw new QueryValidationError(field, `${d} is listed twice`);
    if (isTimeDimension(d) && ++timeCount > 1)
      throw new QueryValidationError(field, 'only one time dimension is allowed');
    const concrete: ConcreteDimension = d === 'time' ? autoGranularity(range) : d;
    if (concrete === 'time:hour' && rangeDays(range) > MAX_HOUR_BUCKET_DAYS)
      throw new QueryValidationError(
        field,
        `time:hour needs a range of at most ${MAX_HOUR_BUCKET_DAYS} days`,
      );
    dimensions.push(concrete);
  });
  const eventDimIndex = dimensions.findIndex((d) => d.startsWith('event:'));
  const visitDimIndex = dimensions.findIndex((d) => d.startsWith('visit:'));
  if (eventDimIndex >= 0 && visitDimIndex >= 0)
    throw new QueryValidationError(
      `dimensions[${Math.max(eventDimIndex, visitDimIndex)}]`,
      'event:* and visit:* dimensions cannot be combined in one query',
    );

  const filters: FilterClause[] = [];
  filterClauses(request.filters, 'filters', filters);

  metrics.forEach((m, i) => {
    if (SESSION_METRICS.has(m) && eventDimIndex >= 0)
      throw new QueryValidationError(
        `metrics[${i}]`,
        `${m} is a session metric and cannot be broken down by ${dimensions[eventDimIndex]}`,
      );
    if (
      CONVERSION_METRICS.has(m) &&
      !filters
        .flatMap((c) => filterLeaves(c.node))
        .some((f) => f.dimension === 'event:goal' || f.dimension === 'event:name')
    )
      throw new QueryValidationError(`metrics[${i}]`, `${m} requires an event:goal or event:name filter`);
    if (
      REVENUE_METRICS.has(m) &&
      !dimensions.includes('event:name') &&
      !filters
        .flatMap((c) => filterLeaves(c.node))
        .some((f) => f.dimension === 'event:goal' || f.dimension === 'event:name')
    )
      throw new QueryValidationError(
        `metrics[${i}]`,
        `${m} requires an event:goal or event:name filter, or an event:name dimension`,
      );
    if (ENGAGEMENT_METRICS.has(m)) {
      if (dimensions.some((d) => d !== 'event:page'))
        throw new QueryValidationError(
          `metrics[${i}]`,
          `${m} is per page: use it with the event:page dimension or none`,
        );
      const other = metrics.find((o) => SESSION_METRICS.has(o) || CONVERSION_METRICS.has(o));
      if (other) throw new QueryValidationError(`metrics[${i}]`, `${m} cannot be combined with ${other}`);
    }
    if (m === 'group_conversion_rate' && dimensions.length === 0)
      throw new QueryValidationError(`metrics[${i}]`, 'group_conversion_rate needs a dimension to group by');
    if (
      m === 'conversion_rate' &&
      dimensions.some((d) => d.startsWith('time:')) &&
      dimensions.some((d) => !d.startsWith('time:'))
    )
      throw new QueryValidationError(
        `metrics[${i}]`,
        'conversion_rate with both a time and another dimension is not supported; use group_conversion_rate',
      );
  });

  const orderBy: ParsedQuery['orderBy'] = [];
  (request.order_by ?? []).forEach(([key, direction], i) => {
    const field = `order_by[${i}][0]`;
    let resolved: Metric | ConcreteDimension | undefined;
    if ((metrics as string[]).includes(key)) resolved = key as Metric;
    else if (key === 'time' || key.startsWith('time:'))
      resolved = dimensions.find((d) => d.startsWith('time:'));
    else resolved = dimensions.find((d) => d === key);
    if (!resolved || (key.startsWith('time:') && resolved !== key))
      throw new QueryValidationError(field, `${key} is neither a requested metric nor a dimension`);
    if (orderBy.some(([k]) => k === resolved))
      throw new QueryValidationError(field, `${key} is ordered by twice`);
    orderBy.push([resolved, direction]);
  });

  const hasTime = dimensions.some((d) => d.startsWith('time:'));
  if (request.include.time_labels && !hasTime)
    throw new QueryValidationError('include.time_labels', 'time_labels needs a time dimension');

  const source =
    visitDimIndex >= 0 || metrics.some((m) => SESSION_METRICS.has(m))
      ? ('sessions' as const)
      : ('events' as const);

  return {
    site,
    metrics,
    dimensions,
    filters,
    range,
    orderBy,
    limit: request.pagination.limit,
    offset: request.pagination.offset,
    comparison: request.include.comparisons?.mode ?? null,
    timeLabels: request.include.time_labels ?? false,
    totalRows: request.include.total_rows ?? false,
    source,
    request,
  };
}
