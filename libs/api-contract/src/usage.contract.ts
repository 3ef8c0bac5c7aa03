/** One usage cycle of an org: billable events (pageviews + custom events of all its sites). */
export interface UsageCycleView {
  start: string;
  /** Exclusive. */
  end: string;
  events: number;
  /** When the workers last counted this cycle; null when the current cycle was not metered yet. */
  computedAt: string | null;
}

/** GET /api/orgs/:orgId/usage — the numbers billing charges, as the usage-metering job stored them. */
export interface OrgUsageView {
  orgId: string;
  current: UsageCycleView;
  /** Metered cycles before the current one, newest first (at most two). */
  previous: UsageCycleView[];
}
