import { currentPlans, type Plan, type PlanFeature } from './plans';

/** How a feature is named to people (errors, upgrade notes, the pricing table). */
export const PLAN_FEATURE_LABELS: Readonly<Record<PlanFeature, string>> = Object.freeze({
  dashboard: 'Dashboard',
  stats_api: 'Stats API',
  csv_export: 'CSV export',
  email_reports: 'Email reports',
  shared_links: 'Shared links',
  funnels: 'Funnels',
});

/** Features named in the plural ("Funnels are …"). */
const PLURAL: ReadonlySet<PlanFeature> = new Set<PlanFeature>(['email_reports', 'shared_links', 'funnels']);

export function planHasFeature(plan: Pick<Plan, 'features'>, feature: PlanFeature): boolean {
  return plan.features.includes(feature);
}

/** The cheapest plan sold today that includes the feature, or null when none does. */
export function cheapestPlanWith(feature: PlanFeature): Readonly<Plan> | null {
  return currentPlans().find((p) => planHasFeature(p, feature)) ?? null;
}

/** The `feature_not_in_plan` message: which feature, which plan the org is on, what to buy. */
export function featureNotInPlanMessage(plan: Pick<Plan, 'name'>, feature: PlanFeature): string {
  const label = PLAN_FEATURE_LABELS[feature];
  const cheapest = cheapestPlanWith(feature);
  return (
    `${label} ${PLURAL.has(feature) ? 'are' : 'is'} not included in the ${plan.name} plan. ` +
    (cheapest ? `Upgrade to ${cheapest.name} or higher` : 'Contact support') +
    ` to use ${PLURAL.has(feature) ? 'them' : 'it'}.`
  );
}
