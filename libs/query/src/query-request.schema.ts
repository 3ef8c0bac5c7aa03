import { z } from 'zod';

/**
 * The query spec, shaped like Plausible's Stats API v2 (`POST /api/v2/query`).
 * This file imports only zod so the dashboard can `import type` from it without pulling in
 * the ClickHouse executor.
 */

export const METRICS = [
  'visitors',
  'visits',
  'pageviews',
  'views_per_visit',
  'bounce_rate',
  'visit_duration',
  'events',
  'conversion_rate',
  'group_conversion_rate',
  'total_revenue',
  'average_revenue',
  'scroll_depth',
  'time_on_page',
] as const;
export type Metric = (typeof METRICS)[number];

export const EVENT_DIMENSIONS = ['event:page', 'event:name', 'event:hostname'] as const;
export const VISIT_DIMENSIONS = [
  'visit:entry_page',
  'visit:exit_page',
  'visit:source',
  'visit:referrer',
  'visit:utm_source',
  'visit:utm_medium',
  'visit:utm_campaign',
  'visit:utm_content',
  'visit:utm_term',
  'visit:country',
  'visit:device',
  'visit:browser',
  'visit:os',
] as const;
export const TIME_DIMENSIONS = ['time', 'time:hour', 'time:day', 'time:week', 'time:month'] as const;
/** The fixed dimensions; `event:props:<key>` (PropsDimension) comes on top. */
export const DIMENSIONS = [...EVENT_DIMENSIONS, ...VISIT_DIMENSIONS, ...TIME_DIMENSIONS] as const;

export type EventDimension = (typeof EVENT_DIMENSIONS)[number];
export type VisitDimension = (typeof VISIT_DIMENSIONS)[number];
export type TimeDimension = (typeof TIME_DIMENSIONS)[number];
/** A custom event property (Plausible v2): `event:props:plan`. */
export type PropsDimension = `event:props:${string}`;
export type Dimension = (typeof DIMENSIONS)[number] | PropsDimension;

export const PROPS_PREFIX = 'event:props:';
/** As long as the ingest stores them (EVENT_LIMITS.propKeyLength). */
export const MAX_PROP_KEY_LENGTH = 300;

/** The key of an `event:props:<key>` dimension, or null for any other dimension. */
export function propKeyOf(dimension: string): string | null {
  return dimension.startsWith(PROPS_PREFIX) ? dimension.slice(PROPS_PREFIX.length) : null;
}

/**
 * Why `event:props:<key>` is not a valid property dimension, or null when it is: the key must be 1 to
 * 300 characters without control characters (the ingest strips those, so such a key can never match).
 */
export function propKeyIssue(dimension: string): string | null {
  const key = propKeyOf(dimension);
  if (key === null) return null;
  if (key.length === 0) return 'event:props: needs a property key, e.g. event:props:plan';
  if (key.length > MAX_PROP_KEY_LENGTH) return `a property key has at most ${MAX_PROP_KEY_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'a property key cannot contain control characters';
  return null;
}

/** Filterable: every event and visit dimension, `event:props:<key>`, and `event:goal` (a custom event name or "Visit /path"). */
export const FILTER_DIMENSIONS = [...EVENT_DIMENSIONS, 'event:goal', ...VISIT_DIMENSIONS] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number] | PropsDimension;

/** `matches` / `matches_not` take RE2 regular expressions (ClickHouse `match`). */
export const FILTER_OPERATORS = [
  'is',
  'is_not',
  'contains',
  'contains_not',
  'matches',
  'matches_not',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

const MAX_PATTERN_LENGTH = 500;

/**
 * Why a `matches` pattern is refused, or null. ClickHouse's RE2 has no look-around or
 * back-references; anything else JavaScript cannot parse either is refused here rather than failing
 * in ClickHouse.
 */
export function regexIssue(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `a pattern has at most ${MAX_PATTERN_LENGTH} characters`;
  if (/\(\?<?[=!]/.test(pattern)) return 'look-around is not supported in patterns';
  if (/\\[1-9]/.test(pattern)) return 'back-references are not supported in patterns';
  if (/\(\?<[A-Za-z]/.test(pattern)) return 'named groups are written (?P<name>...) in patterns';
  try {
    new RegExp(pattern.replace(/\(\?P</g, '(?<'), 'u');
  } catch {
    return 'not a valid regular expression';
  }
  return null;
}

export type LeafFilter = [FilterOperator, FilterDimension, string[]];
export type AndFilter = ['and', QueryFilter[]];
export type OrFilter = ['or', QueryFilter[]];
export type NotFilter = ['not', QueryFilter];
export type QueryFilter = LeafFilter | AndFilter | OrFilter | NotFilter;

export const DATE_RANGE_SHORTCUTS = [
  'day',
  '7d',
  '28d',
  '30d',
  'month',
  '6mo',
  '12mo',
  'year',
  'all',
] as const;
export type DateRangeShortcut = (typeof DATE_RANGE_SHORTCUTS)[number];

export const MAX_LIMIT = 10_000;
export const MAX_FILTER_VALUES = 1_000;
const MAX_VALUE_LENGTH = 2_000;
const MAX_FILTER_DEPTH = 5;

type FilterIssue = { path: (string | number)[]; message: string };

function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

/**
 * Walks one filter and reports the first problem with its exact position, so a client is told
 * `filters[0][1]` rather than "invalid union".
 */
export function findFilterIssue(value: unknown, depth = 0): FilterIssue | null {
  if (!Array.isArray(value))
    return { path: [], message: 'a filter must be an array like ["is", "event:page", ["/"]]' };
  if (depth >= MAX_FILTER_DEPTH)
    return { path: [], message: `filters nest at most ${MAX_FILTER_DEPTH} levels` };
  const [op, second, third] = value as unknown[];
  if (op === 'and' || op === 'or') {
    if (value.length !== 2 || !Array.isArray(second) || second.length === 0)
      return { path: [1], message: `"${op}" takes a non-empty array of filters` };
    if (second.length > MAX_FILTER_VALUES)
      return { path: [1], message: `at most ${MAX_FILTER_VALUES} filters` };
    for (let i = 0; i < second.length; i++) {
      const issue = findFilterIssue(second[i], depth + 1);
      if (issue) return { path: [1, i, ...issue.path], message: issue.message };
    }
    return null;
  }
  if (op === 'not') {
    if (value.length !== 2) return { path: [], message: '"not" takes one filter: ["not", filter]' };
    const issue = findFilterIssue(second, depth + 1);
    return issue ? { path: [1, ...issue.path], message: issue.message } : null;
  }
  if (!isOneOf(FILTER_OPERATORS, op))
    return {
      path: [0],
      message: `unknown filter operator; expected "and", "or", "not" or one of ${FILTER_OPERATORS.join(', ')}`,
    };
  if (value.length !== 3) return { path: [], message: 'a filter is [operator, dimension, [values]]' };
  if (typeof second === 'string' && second.startsWith(PROPS_PREFIX)) {
    const keyIssue = propKeyIssue(second);
    if (keyIssue) return { path: [1], message: keyIssue };
  } else if (!isOneOf(FILTER_DIMENSIONS, second))
    return {
      path: [1],
      message: `cannot filter by ${JSON.stringify(second)}; expected one of ${FILTER_DIMENSIONS.join(', ')} or event:props:<key>`,
    };
  if (!Array.isArray(third) || third.length === 0)
    return { path: [2], message: 'filter values must be a non-empty array of strings' };
  if (third.length > MAX_FILTER_VALUES) return { path: [2], message: `at most ${MAX_FILTER_VALUES} values` };
  for (let i = 0; i < third.length; i++) {
    const v: unknown = third[i];
    if (typeof v !== 'string') return { path: [2, i], message: 'filter values must be strings' };
    if (v.length > MAX_VALUE_LENGTH)
      return { path: [2, i], message: `at most ${MAX_VALUE_LENGTH} characters` };
    if (op === 'matches' || op === 'matches_not') {
      const issue = regexIssue(v);
      if (issue) return { path: [2, i], message: issue };
    }
  }
  return null;
}

const filterSchema = z
  .custom<QueryFilter>(() => true)
  .superRefine((value, ctx) => {
    const issue = findFilterIssue(value);
    if (issue) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

const dateOrDateTime = z.string().max(40);

const dimensionSchema = z.custom<Dimension>().superRefine((value, ctx) => {
  if (typeof value === 'string' && value.startsWith(PROPS_PREFIX)) {
    const issue = propKeyIssue(value);
    if (issue) ctx.addIssue({ code: 'custom', message: issue });
  } else if (!isOneOf(DIMENSIONS, value))
    ctx.addIssue({
      code: 'custom',
      message: `unknown dimension; expected one of ${DIMENSIONS.join(', ')} or event:props:<key>`,
    });
});

export const queryRequestSchema = z.strictObject({
  /** The site's domain; the API resolves it and checks access before the engine runs. */
  site_id: z.string().min(1).max(253),
  metrics: z.array(z.enum(METRICS)).min(1, 'at least one metric is required').max(METRICS.length),
  /** A shortcut, or [from, to]: both `YYYY-MM-DD` (inclusive, site timezone) or both ISO8601 date-times. */
  date_range: z.union([z.enum(DATE_RANGE_SHORTCUTS), z.tuple([dateOrDateTime, dateOrDateTime])], {
    error: `expected one of ${DATE_RANGE_SHORTCUTS.join(', ')} or [from, to]`,
  }),
  dimensions: z.array(dimensionSchema).max(4).default([]),
  filters: z.array(filterSchema).max(50).default([]),
  order_by: z
    .array(z.tuple([z.string().max(64), z.enum(['asc', 'desc'])]))
    .max(8)
    .optional(),
  include: z
    .strictObject({
      comparisons: z
        .strictObject({ mode: z.enum(['previous_period', 'year_over_year']) })
        .nullable()
        .optional(),
      time_labels: z.boolean().optional(),
      total_rows: z.boolean().optional(),
      /** Add imported history (days before the site's first native event), as Plausible v2. */
      imports: z.boolean().optional(),
    })
    .default({}),
  pagination: z
    .strictObject({
      limit: z.number().int().min(1).max(MAX_LIMIT).default(MAX_LIMIT),
      offset: z.number().int().min(0).max(1_000_000).default(0),
    })
    .default({ limit: MAX_LIMIT, offset: 0 }),
});

/** What a client sends (defaults optional). */
export type QueryRequest = z.input<typeof queryRequestSchema>;
/** After schema defaults are applied. */
export type NormalizedQueryRequest = z.output<typeof queryRequestSchema>;
export type ComparisonMode = 'previous_period' | 'year_over_year';

/**
 * `POST /api/v2/property-keys` (a Sightline addition): the custom property keys used in a period,
 * for filters like a query's (an `event:goal` filter lists that goal's properties).
 */
export const propertyKeysRequestSchema = queryRequestSchema.pick({
  site_id: true,
  date_range: true,
  filters: true,
});
export type PropertyKeysRequest = z.input<typeof propertyKeysRequestSchema>;
