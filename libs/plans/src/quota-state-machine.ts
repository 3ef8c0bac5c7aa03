import { currentPlans, type Plan } from './plans';

/**
 * The quota state machine, as one pure function: given the org's usage cycles (as the metering job
 * counted them), its quota and its current state, it returns the next state and the mails to send.
 * The workers' quota job runs it after every metering pass; reruns are harmless because every
 * mail has a key that is recorded once (and passed back in as `sentMailKeys`).
 *
 *   ok ──(last two closed cycles > quota + 10 %, or current cycle > 2 × quota)──▶ grace (7 days)
 *   grace ──(grace over, still over)──▶ locked (stats answer 402; ingestion continues, counted)
 *   grace / locked ──(plan now fits, or a cycle closed under the quota)──▶ ok
 * Mails: 80 % and 100 % of the quota once per cycle; "quota exceeded" on entering grace; a reminder
 * 2 days before the grace ends if still over; "capacity depleted" on locking.
 */

export type QuotaStateName = 'ok' | 'grace' | 'locked';

export interface QuotaState {
  state: QuotaStateName;
  reason: string | null;
  graceStartedAt: Date | null;
  graceEndsAt: Date | null;
  lockedAt: Date | null;
}

export interface UsageCycle {
  start: Date;
  end: Date;
  events: number;
}

export interface QuotaInput {
  now: Date;
  quota: number;
  /** The cycle containing `now` (null before the first metering of it). */
  current: UsageCycle | null;
  /** Closed cycles, newest first. */
  closed: UsageCycle[];
  state: QuotaState;
  /** Keys of the mails already sent to this org. */
  sentMailKeys: ReadonlySet<string>;
}

export type QuotaMail =
  | {
      kind: 'usage_80' | 'usage_100';
      key: string;
      percent: number;
      events: number;
      quota: number;
      cycleEnd: Date;
    }
  | {
      kind: 'quota_exceeded';
      key: string;
      reason: string;
      cycles: UsageCycle[];
      quota: number;
      suggestedPlan: string;
      locksAt: Date;
    }
  | { kind: 'grace_reminder'; key: string; locksAt: Date; suggestedPlan: string }
  | { kind: 'capacity_depleted'; key: string; suggestedPlan: string };

export interface QuotaDecision {
  next: QuotaState;
  mails: QuotaMail[];
  /** True when state, grace dates or lock changed (the capacity cache must be refreshed). */
  changed: boolean;
}

export const GRACE_DAYS = 7;
export const REMINDER_DAYS_BEFORE_END = 2;
export const OVER_MARGIN = 0.1;
export const ABUSE_FACTOR = 2;
const DAY = 86_400_000;

export const OK_STATE: QuotaState = {
  state: 'ok',
  reason: null,
  graceStartedAt: null,
  graceEndsAt: null,
  lockedAt: null,
};

const fmt = (n: number) => n.toLocaleString('en-US');
const iso = (d: Date) => d.toISOString();

/** Why the org is over its quota enough to start a grace period, or null. */
export function overQuotaReason(input: Pick<QuotaInput, 'quota' | 'current' | 'closed'>): string | null {
  const { quota, current, closed } = input;
  const [last, previous] = closed;
  const limit = quota * (1 + OVER_MARGIN);
  if (last && previous && last.events > limit && previous.events > limit)
    return `the last two cycles had ${fmt(previous.events)} and ${fmt(last.events)} events, over the quota of ${fmt(quota)} plus 10 %`;
  if (current && current.events > ABUSE_FACTOR * quota)
    return `this cycle already has ${fmt(current.events)} events, over twice the quota of ${fmt(quota)}`;
  return null;
}

/** The recent peak fits the quota: the current cycle and the last closed one are both within it. */
function fits(input: QuotaInput): boolean {
  const peak = Math.max(input.current?.events ?? 0, input.closed[0]?.events ?? 0);
  return peak <= input.quota;
}

/** A cycle that closed after `since` ended under the quota. */
function closedUnderSince(input: QuotaInput, since: Date | null): boolean {
  const last = input.closed[0];
  return !!last && !!since && last.end.getTime() > since.getTime() && last.events <= input.quota;
}

export function suggestedPlanFor(events: number, plans: readonly Readonly<Plan>[] = currentPlans()): string {
  const plan = plans.find((p) => p.monthlyEventQuota >= events);
  return plan ? plan.name : 'a custom plan (contact support)';
}

export function evaluateQuota(input: QuotaInput): QuotaDecision {
  const { now, quota, current, state } = input;
  const mails: QuotaMail[] = [];
  const add = (mail: QuotaMail) => {
    if (!input.sentMailKeys.has(mail.key)) mails.push(mail);
  };
  const peak = Math.max(current?.events ?? 0, input.closed[0]?.events ?? 0, input.closed[1]?.events ?? 0);
  const suggestedPlan = suggestedPlanFor(peak);

  // Informational mails for the current cycle.
  if (current && quota > 0) {
    const share = current.events / quota;
    if (share >= 0.8)
      add({
        kind: 'usage_80',
        key: `usage-80:${iso(current.start)}`,
        percent: 80,
        events: current.events,
        quota,
        cycleEnd: current.end,
      });
    if (share >= 1)
      add({
        kind: 'usage_100',
        key: `usage-100:${iso(current.start)}`,
        percent: 100,
        events: current.events,
        quota,
        cycleEnd: current.end,
      });
  }

  let next: QuotaState = state;
  if (state.state === 'ok') {
    const reason = overQuotaReason(input);
    if (reason) {
      const graceEndsAt = new Date(now.getTime() + GRACE_DAYS * DAY);
      next = { state: 'grace', reason, graceStartedAt: now, graceEndsAt, lockedAt: null };
      add({
        kind: 'quota_exceeded',
        key: `grace:${iso(now)}`,
        reason,
        cycles: input.closed.slice(0, 2).concat(current ? [current] : []),
        quota,
        suggestedPlan,
        locksAt: graceEndsAt,
      });
    }
  } else if (
    fits(input) ||
    closedUnderSince(input, state.state === 'grace' ? state.graceStartedAt : state.lockedAt)
  ) {
    next = OK_STATE;
  } else if (state.state === 'grace' && state.graceEndsAt) {
    if (now.getTime() >= state.graceEndsAt.getTime()) {
      next = { ...state, state: 'locked', lockedAt: now };
      add({ kind: 'capacity_depleted', key: `locked:${iso(now)}`, suggestedPlan });
    } else if (now.getTime() >= state.graceEndsAt.getTime() - REMINDER_DAYS_BEFORE_END * DAY) {
      add({
        kind: 'grace_reminder',
        key: `grace-reminder:${iso(state.graceStartedAt ?? state.graceEndsAt)}`,
        locksAt: state.graceEndsAt,
        suggestedPlan,
      });
    }
  }
  const changed =
    next.state !== state.state ||
    next.graceEndsAt?.getTime() !== state.graceEndsAt?.getTime() ||
    next.lockedAt?.getTime() !== state.lockedAt?.getTime();
  return { next, mails, changed };
}

/** Support: give an org in grace more days (the admin module calls this through the billing service). */
export function extendGrace(state: QuotaState, days: number): QuotaState {
  if (state.state !== 'grace' || !state.graceEndsAt) return state;
  return { ...state, graceEndsAt: new Date(state.graceEndsAt.getTime() + days * DAY) };
}

/** Support: unlock a locked org (or end grace early) with `days` of grace, in which the stats stay open. */
export function supportUnlock(state: QuotaState, now: Date, days: number = GRACE_DAYS): QuotaState {
  if (state.state === 'ok') return state;
  return {
    state: 'grace',
    reason: `unlocked by support${state.reason ? `; ${state.reason}` : ''}`,
    graceStartedAt: state.graceStartedAt ?? now,
    graceEndsAt: new Date(now.getTime() + days * DAY),
    lockedAt: null,
  };
}
