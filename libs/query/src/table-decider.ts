import { hourRowMetric, SESSIONS_TABLE_ATTRIBUTES } from './compile-sessions-table';
import type { ResolvedDateRange } from './date-range';
import { filterLeaves } from './filters';
import { CONVERSION_METRICS } from './metrics';
import type { ParsedQuery } from './parse-query';
import type { Metric } from './query-request.schema';
import { offsetMinutesAt } from './timezone';

/**
 * Which table answers a query. Each decision here is a rule that can be read and tested as a table
 * (table-decider.spec.ts); the compiler only follows it.
 * - `events_hourly`: the hourly rollup (event and pageview counts per site and UTC hour). Exact
 *   for unfiltered pageviews / events, in total or per time bucket, when every bucket boundary of
 *   the range is a whole UTC hour. (Visitors are not rolled up: merging hourly uniq states of a
 *   big site cost more than a sampled raw scan.)
 * - `sessions`: per session and UTC hour, the session's events in that hour as aggregate states
 *   (migration 006). Exact for visit metrics (visitors, visits, pageviews, events, bounce_rate,
 *   visit_duration, views_per_visit) by time and visit:* dimensions under visit:* filters, and
 *   for unfiltered visitor / visit / pageview / event counts, when the range is on whole UTC hours.
 *   Not for event:* filters or dimensions (they need single events) nor conversion metrics.
 * - `events`: the raw rows; answers everything.
 */
export type QueryTable = 'events_hourly' | 'sessions' | 'events';

export const ROLLUP_METRICS: ReadonlySet<Metric> = new Set<Metric>(['pageviews', 'events']);

const HOUR_MS = 3_600_000;

/** Why the rollup cannot answer, or null when it can. */
export function rollupBlocker(q: ParsedQuery, range: ResolvedDateRange): string | null {
  if (q.source !== 'events') return 'needs sessions';
  if (q.filters.length > 0) return 'has filters';
  const metric = q.metrics.find((m) => !ROLLUP_METRICS.has(m));
  if (metric) return `metric ${metric}`;
  const dimension = q.dimensions.find((d) => !d.startsWith('time:'));
  if (dimension) return `dimension ${dimension}`;
  if (range.from.getTime() % HOUR_MS !== 0 || range.to.getTime() % HOUR_MS !== 0)
    return 'range not on whole hours';
  // Local day, week and month boundaries fall on whole UTC hours only in whole-hour zones.
  if (q.dimensions.length > 0 && !wholeHourZone(q.site.timezone, range))
    return 'time zone offset not whole hours';
  return null;
}

/** Why the sessions table cannot answer, or null when it can. */
export function sessionsTableBlocker(q: ParsedQuery, range: ResolvedDateRange): string | null {
  if (range.from.getTime() % HOUR_MS !== 0 || range.to.getTime() % HOUR_MS !== 0)
    return 'range not on whole hours';
  const metric = q.metrics.find((m) => CONVERSION_METRICS.has(m));
  if (metric) return `metric ${metric}`;
  const eventFilter = q.filters.find((c) => c.scope === 'event');
  if (eventFilter) return 'has event filters';
  for (const clause of q.filters)
    for (const leaf of filterLeaves(clause.node))
      if (!(leaf.dimension in SESSIONS_TABLE_ATTRIBUTES)) return `filter ${leaf.dimension}`;
  for (const d of q.dimensions) {
    if (d.startsWith('time:')) continue;
    if (!d.startsWith('visit:') || !(d in SESSIONS_TABLE_ATTRIBUTES)) return `dimension ${d}`;
  }
  if (q.source === 'sessions') return null;
  // Event counts come straight from the hour rows: no filters, buckets of whole hours.
  if (q.filters.length > 0) return 'visit filters on event counts';
  const count = q.metrics.find((m) => hourRowMetric(m) === null);
  if (count) return `metric ${count}`;
  if (q.dimensions.length > 0 && !wholeHourZone(q.site.timezone, range))
    return 'time zone offset not whole hours';
  return null;
}

function wholeHourZone(timezone: string, range: ResolvedDateRange): boolean {
  const span = range.to.getTime() - range.from.getTime();
  // Offsets change at most twice a year; probing the ends and a few points between is enough
  // for every zone in use (Lord Howe's half-hour DST shows at any probe in its summer).
  for (let i = 0; i <= 8; i++) {
    const at = new Date(range.from.getTime() + (span * i) / 8);
    if (offsetMinutesAt(at, timezone) % 60 !== 0) return false;
  }
  return true;
}

export function chooseTable(
  q: ParsedQuery,
  range: ResolvedDateRange,
  opts: { rollups: boolean; sessionsTable?: boolean },
): QueryTable {
  if (opts.rollups && rollupBlocker(q, range) === null) return 'events_hourly';
  const sessions = opts.sessionsTable ?? opts.rollups;
  return sessions && sessionsTableBlocker(q, range) === null ? 'sessions' : 'events';
}

/** Tables read with `SAMPLE 1/N` when sampling is on (both SAMPLE BY visitor_id: the same visitors). */
export function isSampledTable(table: QueryTable): boolean {
  return table === 'events' || table === 'sessions';
}

export interface SamplingPolicy {
  /** Sites with at most this many events in the range are never sampled. */
  aboveRows: number;
  /** Above it, the scan is sampled down to about this many rows. */
  targetRows: number;
}

/**
 * Sampling of the raw table (SAMPLE BY visitor_id, so whole visitors and their sessions are in or
 * out): off (null) up to `aboveRows` rows in the range, else the denominator N of `SAMPLE 1/N` that
 * brings the scan down to about `targetRows` rows. Counts are then multiplied by N; rates are not.
 */
export function sampleDenominator(rowsInRange: number, policy: SamplingPolicy | null): number | null {
  if (policy === null || rowsInRange <= policy.aboveRows) return null;
  return Math.max(2, Math.ceil(rowsInRange / policy.targetRows));
}
