import { isPlanCode, planOf, type Plan, type PlanCode } from './plans';

/** What the billing profile says, as far as plan limits are concerned. */
export interface BillingStanding {
  planCode: string;
  planGeneration: number;
  subscriptionStatus: string | null;
  currentPeriodEnd: Date | null;
}

/** Statuses whose period was not paid for (or that ended): the org falls back to free at period end. */
const LAPSED = new Set(['unpaid', 'canceled', 'incomplete_expired', 'paused']);

/**
 * The plan whose limits apply at `now`. `past_due` keeps full access (Stripe is still retrying);
 * `unpaid`/`canceled` keep the paid plan until the end of the period already paid for, then free.
 * `incomplete` (first payment not made yet) never granted the plan.
 */
export function effectivePlanCode(standing: BillingStanding | null, now: Date): PlanCode {
  if (!standing || !isPlanCode(standing.planCode) || standing.planCode === 'free') return 'free';
  const status = standing.subscriptionStatus;
  if (status === 'incomplete') return 'free';
  if (status && LAPSED.has(status)) {
    if (!standing.currentPeriodEnd || now.getTime() >= standing.currentPeriodEnd.getTime()) return 'free';
  }
  return standing.planCode;
}

export function effectivePlan(standing: BillingStanding | null, now: Date): Readonly<Plan> {
  const code = effectivePlanCode(standing, now);
  return planOf(code, code === standing?.planCode ? standing.planGeneration : undefined);
}

/** Days after an unpaid period ended at which ingestion is refused (the only case it ever is). */
export const UNPAID_REFUSAL_DAYS = 30;
const DAY = 86_400_000;

/** When ingestion stops for an org that stopped paying, or null while it pays (or is free). */
export function ingestionRefusedFrom(standing: BillingStanding | null): Date | null {
  if (!standing || standing.subscriptionStatus !== 'unpaid' || !standing.currentPeriodEnd) return null;
  return new Date(standing.currentPeriodEnd.getTime() + UNPAID_REFUSAL_DAYS * DAY);
}
