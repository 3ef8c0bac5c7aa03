import { joinSql, sql, type ClickHouseClient, type SqlFragment } from '@sightline/clickhouse';
import type { AuthorizedSite } from './authorized-site';
import { compileSiteStatus, siteScope } from './compile-query';
import type { ResolvedDateRange } from './date-range';
import { clausesCondition, wildcardToRegex, type FilterClause } from './filters';
import type { FunnelResult, FunnelStep, FunnelStepResult } from './funnel-response';
import { parseQuery } from './parse-query';
import { QueryValidationError } from './query-validation.error';
import { funnelStepLabel, funnelStepsProblems } from './funnel-steps';
import { formatInstantWithOffset } from './timezone';

/**
 * Funnels, as Plausible computes them: the unit is the visitor; a visitor reaches step k when they
 * did steps 1..k in that order (other events in between are fine, a step may repeat) with step k
 * at most 24 hours after the step 1 that started the chain. Computed by ClickHouse's `windowFunnel`
 * (present in 18.16 and current releases), fed so that both give the same answer:
 *
 *  - 18.16 accepts only a UInt32/DateTime timestamp and both versions order events of the same
 *    timestamp as they happen to arrive, so events are stored to the second and ties are common.
 *    Each visitor's events therefore get a UInt32 key = (seconds since their first event) × 64 +
 *    a tie rank; within one second, events go in the order of the first step they match.
 *  - One event may match several steps (`/blog/**` and `/blog/post`). 18.16 adds such an event to
 *    the chain once per step in ascending order (so it could complete two steps alone), current
 *    releases in descending order (it cannot). Every (event, step) pair becomes its own row with
 *    one condition, the later step ranked first: an event never completes two steps.
 *
 * The dashboard's filters apply as in Plausible's funnels: visit filters (source, country, device,
 * entry page, …) keep the sessions whose attributes match; event filters (page, hostname, goal)
 * keep only the matching events.
 */

export const FUNNEL_WINDOW_SECONDS = 86_400;

/** Tie ranks per second: (first matched step 1..8) × (step 8..1) = 64. */
const TIE_SLOTS = 64;
/** Largest span (s) of one visitor's events that still fits a UInt32 key (visitor ids rotate daily anyway). */
const MAX_SPAN_SECONDS = Math.floor((2 ** 32 - TIE_SLOTS) / TIE_SLOTS) - 1;

/** Throws unless the steps are what the API stores (a second line of defence for the SQL below). */
export function assertFunnelSteps(steps: readonly FunnelStep[]): void {
  const [problem] = funnelStepsProblems(steps);
  if (problem) throw new QueryValidationError(problem[0], problem[1]);
}

function stepCondition(step: FunnelStep): SqlFragment {
  if (step.kind === 'event') return sql`name = ${step.name}`;
  const path = step.pattern.includes('*')
    ? sql`match(pathname, ${wildcardToRegex(step.pattern)})`
    : sql`pathname = ${step.pattern}`;
  return sql`(name = 'pageview' AND ${path})`;
}

/** The events a funnel reads: the site and period, then the dashboard's filters. */
function funnelScope(site: AuthorizedSite, range: ResolvedDateRange, filters: FilterClause[]): SqlFragment {
  const where = [siteScope(site, range)];
  const eventCond = clausesCondition(filters, 'event');
  if (eventCond) where.push(eventCond);
  const visitCond = clausesCondition(filters, 'visit');
  if (visitCond)
    where.push(
      sql`session_id IN (SELECT session_id FROM events WHERE ${siteScope(site, range)} GROUP BY session_id HAVING ${visitCond})`,
    );
  return joinSql(where, ' AND ');
}

/**
 * Rows `(level, visitors)`: how many visitors of the period got exactly that far (level 0: visited
 * but never matched step 1). Every scan is scoped to the site and period.
 */
export function compileFunnel(
  site: AuthorizedSite,
  steps: readonly FunnelStep[],
  range: ResolvedDateRange,
  filters: FilterClause[],
): SqlFragment {
  assertFunnelSteps(steps);
  const matched = joinSql(
    steps.map((step, i) => sql`if(${stepCondition(step)}, ${i + 1}, 0)`),
    ', ',
  );
  const conditions = joinSql(
    steps.map((_, i) => sql`arrayMap(x -> x = ${i + 1}, st)`),
    ', ',
  );
  const windowFunnel = `windowFunnel(${FUNNEL_WINDOW_SECONDS * TIE_SLOTS + TIE_SLOTS - 1})`;
  // m: the steps an event matches (ascending); s: one of them per row (0: none, kept so the
  // visitor counts in all_visitors); r: the tie rank within a second. t0 reaches the lambda as an
  // array because 18.16 loses columns that only a lambda captures ("Unknown identifier").
  return sql`SELECT level, count() AS visitors FROM (
  SELECT arrayReduce(${windowFunnel}, arrayMap((t, r, first) -> toUInt32(least(t - first, ${MAX_SPAN_SECONDS}) * ${TIE_SLOTS} + r), ts, rk, arrayResize(emptyArrayUInt32(), length(ts), t0)), ${conditions}) AS level
  FROM (
    SELECT visitor_id, min(t) AS t0, groupArrayIf(t, s > 0) AS ts, groupArrayIf(r, s > 0) AS rk, groupArrayIf(s, s > 0) AS st
    FROM (
      SELECT visitor_id, t, arrayJoin(if(empty(m), [toUInt8(0)], m)) AS s, if(s > 0, (m[1] - 1) * 8 + (8 - s), 0) AS r
      FROM (
        SELECT visitor_id, toUInt32(timestamp) AS t, arrayFilter(i -> i > 0, [${matched}]) AS m
        FROM events WHERE ${funnelScope(site, range, filters)}
      )
    )
    GROUP BY visitor_id
  )
)
GROUP BY level`;
}

function percentage(part: number, whole: number): number {
  if (whole <= 0 || part <= 0) return 0;
  return Math.round((part / whole) * 10_000) / 100;
}

/** Visitors per step from `(level, visitors)` rows: step k counts everyone who got to level ≥ k. */
export function funnelSteps(
  steps: readonly FunnelStep[],
  rows: readonly { level: number; visitors: number }[],
): { steps: FunnelStepResult[]; allVisitors: number } {
  const atLevel = new Map<number, number>();
  for (const row of rows) atLevel.set(row.level, (atLevel.get(row.level) ?? 0) + row.visitors);
  const allVisitors = [...atLevel.values()].reduce((a, b) => a + b, 0);
  const reached = steps.map((_, i) => {
    let n = 0;
    for (const [level, visitors] of atLevel) if (level >= i + 1) n += visitors;
    return n;
  });
  const first = reached[0] ?? 0;
  return {
    allVisitors,
    steps: steps.map((step, i) => {
      const visitors = reached[i] ?? 0;
      const previous = i === 0 ? null : (reached[i - 1] ?? 0);
      const dropoff = previous === null ? 0 : previous - visitors;
      return {
        label: funnelStepLabel(step),
        step,
        visitors,
        conversion_rate: percentage(visitors, first),
        conversion_rate_step: percentage(visitors, previous ?? first),
        dropoff,
        dropoff_percentage: previous === null ? 0 : percentage(dropoff, previous),
      };
    }),
  };
}

export interface FunnelDefinition {
  id: string;
  name: string;
  steps: FunnelStep[];
}

const FUNNEL_REQUEST_KEYS = new Set(['date_range', 'filters']);

/**
 * The period and filters of a funnel request `{ date_range?, filters? }`, in the Stats API v2's
 * shape and validated by the same parser (default `30d`, no filters).
 */
export function parseFunnelRequest(
  site: AuthorizedSite,
  input: unknown,
  ctx: { now: Date; firstEventAt?: Date | null },
): { range: ResolvedDateRange; filters: FilterClause[] } {
  const body = input ?? {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw new QueryValidationError('body', 'must be an object with date_range and filters');
  for (const key of Object.keys(body))
    if (!FUNNEL_REQUEST_KEYS.has(key)) throw new QueryValidationError(key, 'unknown field');
  const { date_range = '30d', filters = [] } = body as { date_range?: unknown; filters?: unknown };
  const q = parseQuery(
    site,
    { site_id: site.domain, metrics: ['visitors'], date_range, filters },
    { now: ctx.now, firstEventAt: ctx.firstEventAt ?? null },
  );
  return { range: q.range, filters: q.filters };
}

/** Runs a stored funnel for one authorized site over a period with the dashboard's filters. */
export class FunnelRunner {
  constructor(private readonly client: ClickHouseClient) {}

  async run(
    site: AuthorizedSite,
    funnel: FunnelDefinition,
    request: unknown,
    opts: { now?: Date } = {},
  ): Promise<FunnelResult> {
    const now = opts.now ?? new Date();
    const wantsAll =
      typeof request === 'object' &&
      request !== null &&
      (request as { date_range?: unknown }).date_range === 'all';
    const firstEventAt = wantsAll ? await this.firstEventAt(site) : null;
    const { range, filters } = parseFunnelRequest(site, request, { now, firstEventAt });
    const rs = await this.client.query({
      query: compileFunnel(site, funnel.steps, range, filters).text,
      format: 'JSONEachRow',
    });
    const rows = (await rs.json<{ level: unknown; visitors: unknown }>()).map((r) => ({
      level: Number(r.level),
      visitors: Number(r.visitors),
    }));
    const { steps, allVisitors } = funnelSteps(funnel.steps, rows);
    const entering = steps[0]?.visitors ?? 0;
    return {
      funnel: { id: funnel.id, name: funnel.name },
      steps,
      all_visitors: allVisitors,
      entering_visitors: entering,
      entering_visitors_percentage: percentage(entering, allVisitors),
      never_entering_visitors: allVisitors - entering,
      never_entering_visitors_percentage: percentage(allVisitors - entering, allVisitors),
      date_range: [
        formatInstantWithOffset(range.from, site.timezone),
        formatInstantWithOffset(new Date(range.to.getTime() - 1000), site.timezone),
      ],
    };
  }

  private async firstEventAt(site: AuthorizedSite): Promise<Date | null> {
    const rs = await this.client.query({ query: compileSiteStatus(site).text, format: 'JSONEachRow' });
    const row = (await rs.json<{ events: unknown; first_at: unknown }>())[0];
    if (!row || Number(row.events) === 0 || typeof row.first_at !== 'string') return null;
    const at = new Date(row.first_at.replace(' ', 'T') + 'Z');
    return Number.isNaN(at.getTime()) ? null : at;
  }
}
