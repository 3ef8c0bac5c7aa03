import { joinSql, sql, type SqlFragment } from '@sightline/clickhouse';
import { eventDimensionSql, VISIT_ATTRIBUTES } from './dimensions';
import {
  propKeyOf,
  type EventDimension,
  type FilterDimension,
  type FilterOperator,
  type PropsDimension,
  type VisitDimension,
} from './query-request.schema';

/** One leaf of the request's filter tree, with its position for error messages. */
export interface FilterCondition {
  op: FilterOperator;
  dimension: FilterDimension;
  values: string[];
  field: string;
}

/** The request's filter tree with validated leaves. */
export type FilterNode =
  | { type: 'leaf'; condition: FilterCondition }
  | { type: 'and' | 'or'; children: FilterNode[] }
  | { type: 'not'; child: FilterNode };

/**
 * One of the top-level filters (nested `and`s are flattened into clauses). All leaves of a clause are
 * `event:*` (a condition on each event) or all `visit:*` (a condition on each session's attributes):
 * they are evaluated at different levels, so an `or`/`not` cannot mix them.
 */
export interface FilterClause {
  scope: 'event' | 'visit';
  node: FilterNode;
  field: string;
}

export function filterLeaves(node: FilterNode): FilterCondition[] {
  switch (node.type) {
    case 'leaf':
      return [node.condition];
    case 'not':
      return filterLeaves(node.child);
    default:
      return node.children.flatMap(filterLeaves);
  }
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
    case 'matches':
      return anyOf(values.map((v) => sql`match(${expr}, ${v})`));
    case 'matches_not':
      return sql`NOT ${anyOf(values.map((v) => sql`match(${expr}, ${v})`))}`;
  }
}

const GOAL_PAGE_PREFIX = 'Visit ';

/** A goal is a custom event name, or `Visit /path` for pageviews of a page (wildcards allowed). */
function goalCondition(op: FilterOperator, values: string[]): SqlFragment {
  const positive: FilterOperator =
    op === 'is_not' ? 'is' : op === 'contains_not' ? 'contains' : op === 'matches_not' ? 'matches' : op;
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

function nodeCondition(node: FilterNode, leaf: (c: FilterCondition) => SqlFragment): SqlFragment {
  switch (node.type) {
    case 'leaf':
      return leaf(node.condition);
    case 'not':
      return sql`NOT (${nodeCondition(node.child, leaf)})`;
    case 'and':
      return sql`(${joinSql(
        node.children.map((c) => nodeCondition(c, leaf)),
        ' AND ',
      )})`;
    case 'or':
      return sql`(${joinSql(
        node.children.map((c) => nodeCondition(c, leaf)),
        ' OR ',
      )})`;
  }
}

/** All clauses of one scope, and-ed; null when there are none. */
export function clausesCondition(clauses: FilterClause[], scope: FilterClause['scope']): SqlFragment | null {
  const leaf = scope === 'event' ? eventCondition : visitCondition;
  return allOf(clauses.filter((c) => c.scope === scope).map((c) => nodeCondition(c.node, leaf)));
}

const NEGATIVE: Partial<Record<FilterOperator, FilterOperator>> = {
  is_not: 'is',
  contains_not: 'contains',
  matches_not: 'matches',
};

/** The visit clauses, and-ed, with each attribute read through `attribute` (another table's columns). */
export function visitClausesCondition(
  clauses: FilterClause[],
  attribute: (d: VisitDimension) => SqlFragment,
): SqlFragment | null {
  const leaf = (c: FilterCondition): SqlFragment =>
    applyOperator(attribute(c.dimension as VisitDimension), c.op, c.values, PAGE_DIMENSIONS.has(c.dimension));
  return allOf(clauses.filter((c) => c.scope === 'visit').map((c) => nodeCondition(c.node, leaf)));
}

/** Condition on one raw event row. */
export function eventCondition(c: FilterCondition): SqlFragment {
  if (c.dimension === 'event:goal') return goalCondition(c.op, c.values);
  const key = propKeyOf(c.dimension);
  const column = eventDimensionSql(c.dimension as EventDimension | PropsDimension);
  const positive = NEGATIVE[c.op];
  // A negated property filter matches only events that carry the key (Plausible): "plan is not
  // pro" leaves out pageviews without a plan. `is_not (none)` is then "has the key".
  if (key !== null && positive)
    return sql`(has(props_keys, ${key}) AND NOT ${applyOperator(column, positive, c.values, false)})`;
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

/** The event clauses made only of leaves on `dimension`. */
function clausesOnlyOn(clauses: FilterClause[], dimension: FilterDimension): FilterClause[] {
  return clauses.filter(
    (c) => c.scope === 'event' && filterLeaves(c.node).every((leaf) => leaf.dimension === dimension),
  );
}

/**
 * The `event:page` filters read as filters on the session's entry page (null when there are none):
 * Plausible's bounce rate under a page filter counts only the sessions that entered on the page.
 */
export function entryPageCondition(clauses: FilterClause[]): SqlFragment | null {
  const entry = VISIT_ATTRIBUTES['visit:entry_page'].expr;
  return allOf(
    clausesOnlyOn(clauses, 'event:page').map((c) =>
      nodeCondition(c.node, (leaf) => applyOperator(entry, leaf.op, leaf.values, true)),
    ),
  );
}

/**
 * The `event:hostname` filters applied to one hostname of the session (the entry page's or the exit
 * page's); null when there are none. A campaign that landed on another subdomain is then not credited
 * to this one, as in Plausible.
 */
export function sessionHostnameCondition(clauses: FilterClause[], hostname: SqlFragment): SqlFragment | null {
  return allOf(
    clausesOnlyOn(clauses, 'event:hostname').map((c) =>
      nodeCondition(c.node, (leaf) => applyOperator(hostname, leaf.op, leaf.values, false)),
    ),
  );
}
