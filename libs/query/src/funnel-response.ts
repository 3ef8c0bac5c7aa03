// Types of funnels (definitions and results), shared by the API and the dashboard. No runtime code,
// so the dashboard can import this file by path without pulling in the engine.

/** One step of a funnel: a pageview whose path matches `pattern` (`*` one segment, `**` any depth), or a custom event by name. */
export type FunnelStep = { kind: 'page'; pattern: string } | { kind: 'event'; name: string };

export interface FunnelStepResult {
  /** `Visit /pricing` or the event name, as Plausible labels goals. */
  label: string;
  step: FunnelStep;
  /** Visitors who reached this step (after every step before it, in order, within 24 hours). */
  visitors: number;
  /** Percent of the first step's visitors (0 when nobody entered). */
  conversion_rate: number;
  /** Percent of the previous step's visitors (100 for the first step when anyone entered). */
  conversion_rate_step: number;
  /** Visitors of the previous step who did not reach this one (0 for the first step). */
  dropoff: number;
  /** `dropoff` as a percent of the previous step's visitors. */
  dropoff_percentage: number;
}

/** `POST /api/sites/:domain/funnels/:id/query` */
export interface FunnelResult {
  funnel: { id: string; name: string };
  steps: FunnelStepResult[];
  /** Visitors in the period (with the filters), whether or not they entered the funnel. */
  all_visitors: number;
  entering_visitors: number;
  entering_visitors_percentage: number;
  never_entering_visitors: number;
  never_entering_visitors_percentage: number;
  /** The period, as site-local instants (like the Stats API's `query.date_range`). */
  date_range: [string, string];
}
