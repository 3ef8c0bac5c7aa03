/**
 * Usage cycles: the monthly periods an org's billable events are counted in.
 *
 * A cycle starts at the org's billing anchor (its sign-up instant until billing sets one) on the
 * anchor's day of the month, at the anchor's UTC time of day, and ends where the next one starts
 * (as Stripe's `billing_cycle_anchor` does). Months shorter than the anchor day start the cycle on
 * their last day: an anchor on the 31st gives 30 April, 28/29 February, 31 May. Pure UTC
 * arithmetic; no time zones are involved.
 */
export interface UsageCycle {
  /** Inclusive. */
  start: Date;
  /** Exclusive: the next cycle's start. */
  end: Date;
}

/** Months since year 0, so that stepping back and forth across years is plain integer arithmetic. */
function monthIndex(date: Date): number {
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

function daysInMonth(index: number): number {
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** Where the cycle that begins in month `index` (months since year 0) starts. */
export function cycleBoundary(anchor: Date, index: number): Date {
  if (Number.isNaN(anchor.getTime())) throw new TypeError('cycleBoundary: invalid anchor');
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const day = Math.min(anchor.getUTCDate(), daysInMonth(index));
  return new Date(
    Date.UTC(
      year,
      month,
      day,
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  );
}

/** The cycle that contains `instant`. */
export function cycleContaining(anchor: Date, instant: Date): UsageCycle {
  if (Number.isNaN(instant.getTime())) throw new TypeError('cycleContaining: invalid instant');
  const index = monthIndex(instant);
  const boundary = cycleBoundary(anchor, index);
  return instant.getTime() >= boundary.getTime()
    ? { start: boundary, end: cycleBoundary(anchor, index + 1) }
    : { start: cycleBoundary(anchor, index - 1), end: boundary };
}

/** The cycle containing `now` and the `previous` cycles before it, newest first. */
export function recentCycles(anchor: Date, now: Date, previous: number): UsageCycle[] {
  if (!Number.isInteger(previous) || previous < 0)
    throw new RangeError('recentCycles: previous must be an integer >= 0');
  const current = cycleContaining(anchor, now);
  const index = monthIndex(current.start);
  const cycles: UsageCycle[] = [current];
  for (let back = 1; back <= previous; back++)
    cycles.push({ start: cycleBoundary(anchor, index - back), end: cycleBoundary(anchor, index - back + 1) });
  return cycles;
}

/** The anchor billing uses for an org: the one billing set, else the org's creation. */
export function billingAnchor(org: { billingAnchorAt: Date | null; createdAt: Date }): Date {
  return org.billingAnchorAt ?? org.createdAt;
}
