import { describe, expect, it } from 'vitest';
import { cheapestPlanWith, featureNotInPlanMessage, planHasFeature } from './plan-features';
import { planOf, type PlanFeature } from './plans';

describe('plan features', () => {
  it.each<[PlanFeature, string]>([
    ['dashboard', 'free'],
    ['csv_export', 'free'],
    ['stats_api', 'basic'],
    ['email_reports', 'basic'],
    ['shared_links', 'premium'],
    ['funnels', 'premium'],
  ])('%s is first sold on %s, and every larger plan keeps it', (feature, code) => {
    expect(cheapestPlanWith(feature)?.code).toBe(code);
    const order = ['free', 'basic', 'premium'] as const;
    for (const c of order)
      expect(planHasFeature(planOf(c), feature)).toBe(order.indexOf(c) >= order.indexOf(code as 'free'));
  });

  it('names the feature, the current plan and the cheapest plan that has it', () => {
    expect(featureNotInPlanMessage(planOf('free'), 'stats_api')).toBe(
      'Stats API is not included in the Free plan. Upgrade to Basic or higher to use it.',
    );
    expect(featureNotInPlanMessage(planOf('basic'), 'funnels')).toBe(
      'Funnels are not included in the Basic plan. Upgrade to Premium or higher to use them.',
    );
  });
});
