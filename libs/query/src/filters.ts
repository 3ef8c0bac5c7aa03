import { joinSql, sql, type SqlFragment } from '@sightline/clickhouse';
import { EVENT_DIMENSION_COLUMNS, VISIT_ATTRIBUTES } from './dimensions';
import type { EventDimension, FilterDimension, FilterOperator, VisitDimension } from './query-request.schema';

/** One leaf of the request's filter tree, with its position for error messages. */
export interface FilterCondition {
  op: FilterOperator;
  dimension: FilterDimension;
  values: string[];
  field: string;
}

const PAGE_DIMENSIONS = new Set<FilterDimension>(['event:page', 'visit:entry_page', 'visit:exit_page']);

/** `/blog/*` matches one path segment, `/blog/**` any depth (Plausible's page wildcards), as an RE2 pattern. */
export function wildcardToRegex(pattern: string): string {
  const escaped = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return `^${escaped}$`;
}

function anyOf(parts: SqlFragment[]): SqlFragment {
  return parts.length === 1 ? (parts[0] as SqlFragment) : sql`(${joinSql(parts, ' OR ')})`;
}

function isMatch(expr: SqlFragment, values: string[], wildcards: boolean): SqlFragment {
  const exact = wildcards ? values.filter((v) => !v.includes('*')) : values;
  const patterns = wildcards ? values.filter((v) => v.includes('*')) : [];
  const parts: SqlFragment[] = [];
  if (exact.length > 0)
    parts.push(
      sql`${expr} IN (${joinSql(
        exact.map((v) => sql`${v}`),
        ', ',
      )})`,
    );
  for (const p of patterns) parts.push(sql`match(${expr}, ${wildcardToRegex(p)})`);
  return anyOf(parts);
}

function applyOperator(
  expr: SqlFragment,
  op: FilterOperator,
  values: string[],
  wildcards: boolean,
): SqlFragment {
  switch (op) {
    case 'is':
      return isMatch(expr, values, wildcards);
    case 'is_not':
      return sql`NOT ${isMatch(expr, values, wildcards)}`;
    case 'contains':
      return anyOf(values.map((v) => sql`position(${expr}, ${v}) > 0`));
    case 'contains_not':
      return sql`NOT ${anyOf(values.map((v) => sql`position(${expr}, ${v}) > 0`))}`;
  }
}

const GOAL_PAGE_PREFIX = 'Visit ';

/** A goal is a custom event name, or `Visit /path` for pageviews of a page (wildcards allowed). */
function goalCondition(op: FilterOperator, values: string[]): SqlFragment {
  const positive: FilterOperator = op === 'is_not' ? 'is' : op === 'contains_not' ? 'contains' : op;
  const parts = values.map((v) =>
    v.startsWith(GOAL_PAGE_PREFIX) && positive === 'is'
      ? sql`(name = 'pageview' AND ${isMatch(sql`pathname`, [v.slice(GOAL_PAGE_PREFIX.length)], true)})`
      : applyOperator(sql`name`, positive, [v], false),
  );
  const any = anyOf(parts);
  return positive === op ? any : sql`NOT ${any}`;
}

export function isEventFilter(c: FilterCondition): boolean {
  return c.dimension.startsWith('event:');
}

/** Condition on one raw event row. */
export function eventCondition(c: FilterCondition): SqlFragment {
  if (c.dimension === 'event:goal') return goalCondition(c.op, c.values);
  const column = EVENT_DIMENSION_COLUMNS[c.dimension as EventDimension];
  return applyOperator(column, c.op, c.values, PAGE_DIMENSIONS.has(c.dimension));
}

/** Condition on a session's aggregated attribute; valid in a `GROUP BY session_id ... HAVING`. */
export function visitCondition(c: FilterCondition): SqlFragment {
  const attribute = VISIT_ATTRIBUTES[c.dimension as VisitDimension];
  return applyOperator(attribute.expr, c.op, c.values, PAGE_DIMENSIONS.has(c.dimension));
}

export function allOf(parts: SqlFragment[]): SqlFragment | null {
  if (parts.length === 0) return null;
  return parts.length === 1 ? (parts[0] as SqlFragment) : sql`(${joinSql(parts, ' AND ')})`;
}
