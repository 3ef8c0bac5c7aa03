/**
 * The contract between the api/workers (which decide) and the ingest (which obeys) about whether
 * a site's events are accepted. Writers: the api on every plan, payment, grace or lock change and
 * the workers' capacity job for every site at least every 10 minutes. Reader: the ingest receiver
 * (in-process LRU in front of Redis). A MISSING key means ACCEPT: over quota, locked, past due or
 * unknown, events are always taken; only an org 30 days past an unpaid period is refused.
 *
 *   GET  sightline:capacity:site:<siteId>   → JSON CapacityDecision, TTL 900 s
 *   HINCRBY sightline:refused:org:<orgId> <YYYY-MM-DD UTC> <n>  — events refused, per day (the
 *        receiver counts every refused event here; the billing view and support show the total)
 */
export interface CapacityDecision {
  accept: boolean;
  orgId: string;
  /** Why events are refused (shown in the 402 answer), null when accepted. */
  reason: 'unpaid' | null;
}

export const CAPACITY_TTL_SECONDS = 15 * 60;
export const capacityKey = (siteId: number): string => `sightline:capacity:site:${siteId}`;
export const refusedEventsKey = (orgId: string): string => `sightline:refused:org:${orgId}`;

export function parseCapacityDecision(raw: string | null): CapacityDecision | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<CapacityDecision>;
    if (typeof value.accept !== 'boolean' || typeof value.orgId !== 'string') return null;
    return { accept: value.accept, orgId: value.orgId, reason: value.reason === 'unpaid' ? 'unpaid' : null };
  } catch {
    return null;
  }
}
