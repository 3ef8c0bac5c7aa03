/**
 * The plans Sightline sells, as code. Each plan has a generation: when terms change, a new
 * generation is added and orgs on an old one keep its terms (their billing profile stores the
 * generation they signed up on). Stripe price ids are NOT here: they come from configuration
 * per plan and interval (see `stripePriceIds` in @sightline/config).
 */
export const PLAN_CODES = ['free', 'basic', 'premium'] as const;
export type PlanCode = (typeof PLAN_CODES)[number];
export const PAID_PLAN_CODES = ['basic', 'premium'] as const;
export type PaidPlanCode = (typeof PAID_PLAN_CODES)[number];
export const BILLING_INTERVALS = ['monthly', 'yearly'] as const;
export type BillingInterval = (typeof BILLING_INTERVALS)[number];

export type PlanFeature =
  'dashboard' | 'stats_api' | 'csv_export' | 'email_reports' | 'shared_links' | 'funnels';

export interface Plan {
  code: PlanCode;
  generation: number;
  name: string;
  /** Events per billing cycle (pageviews and custom events). */
  monthlyEventQuota: number;
  siteLimit: number;
  memberLimit: number;
  retentionDays: number;
  features: readonly PlanFeature[];
  /** List prices for the pricing table, in US cents; what is charged is the Stripe price. */
  displayPrice: { monthly: number; yearly: number };
}

function freeze<T>(value: T): Readonly<T> {
  for (const v of Object.values(value as object)) if (typeof v === 'object' && v !== null) freeze(v);
  return Object.freeze(value);
}

/** Every generation of every plan; never edit a published entry, add a generation instead. */
export const PLAN_GENERATIONS: readonly Readonly<Plan>[] = freeze([
  {
    code: 'free',
    generation: 1,
    name: 'Free',
    monthlyEventQuota: 10_000,
    siteLimit: 20,
    memberLimit: 3,
    retentionDays: 365,
    features: ['dashboard', 'csv_export'],
    displayPrice: { monthly: 0, yearly: 0 },
  },
  {
    code: 'basic',
    generation: 1,
    name: 'Basic',
    monthlyEventQuota: 100_000,
    siteLimit: 50,
    memberLimit: 10,
    retentionDays: 3 * 365,
    features: ['dashboard', 'csv_export', 'stats_api', 'email_reports'],
    displayPrice: { monthly: 900, yearly: 9000 },
  },
  {
    code: 'premium',
    generation: 1,
    name: 'Premium',
    monthlyEventQuota: 1_000_000,
    siteLimit: 200,
    memberLimit: 50,
    retentionDays: 5 * 365,
    features: ['dashboard', 'csv_export', 'stats_api', 'email_reports', 'shared_links', 'funnels'],
    displayPrice: { monthly: 4900, yearly: 49000 },
  },
]);

/** The generation new customers get. */
export const CURRENT_GENERATION = 1;

export function isPlanCode(value: unknown): value is PlanCode {
  return typeof value === 'string' && (PLAN_CODES as readonly string[]).includes(value);
}
export function isPaidPlanCode(value: unknown): value is PaidPlanCode {
  return typeof value === 'string' && (PAID_PLAN_CODES as readonly string[]).includes(value);
}

/** The plan's terms in a generation (an unknown generation falls back to the newest one not after it). */
export function planOf(code: PlanCode, generation: number = CURRENT_GENERATION): Readonly<Plan> {
  const candidates = PLAN_GENERATIONS.filter((p) => p.code === code && p.generation <= generation);
  const plan =
    candidates.sort((a, b) => b.generation - a.generation)[0] ??
    PLAN_GENERATIONS.find((p) => p.code === code);
  if (!plan) throw new Error(`no plan ${code}`);
  return plan;
}

/** The plans sold today, cheapest first (the pricing table). */
export function currentPlans(): Readonly<Plan>[] {
  return PLAN_CODES.map((code) => planOf(code, CURRENT_GENERATION));
}

export interface UsageNeeds {
  /** Highest events of one recent cycle. */
  events: number;
  sites: number;
  members: number;
}

/** Why a plan cannot take an org's usage, or an empty list when it fits. */
export function planMisfits(plan: Plan, needs: UsageNeeds): string[] {
  const misfits: string[] = [];
  if (needs.events > plan.monthlyEventQuota)
    misfits.push(`${needs.events} events in a recent cycle (quota ${plan.monthlyEventQuota})`);
  if (needs.sites > plan.siteLimit) misfits.push(`${needs.sites} sites (limit ${plan.siteLimit})`);
  if (needs.members > plan.memberLimit) misfits.push(`${needs.members} members (limit ${plan.memberLimit})`);
  return misfits;
}

/** The cheapest current plan that fits the usage, or null when even the largest does not. */
export function smallestFittingPlan(needs: UsageNeeds): Readonly<Plan> | null {
  return currentPlans().find((p) => planMisfits(p, needs).length === 0) ?? null;
}
