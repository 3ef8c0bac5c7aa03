import { Inject, Injectable } from '@nestjs/common';
import {
  effectivePlan,
  featureNotInPlanMessage,
  planHasFeature,
  type Plan,
  type PlanFeature,
} from '@sightline/plans';
import { DomainError } from '../common/domain-error';
import { BillingRepository } from './billing.repository';

/**
 * 402 `feature_not_in_plan`: the org's plan does not sell this feature. 402 like `quota_locked`
 * (paying unlocks it), unlike the 409 count limits (removing something also resolves those).
 */
export const featureNotInPlan = (plan: Pick<Plan, 'name'>, feature: PlanFeature) =>
  new DomainError(402, 'feature_not_in_plan', featureNotInPlanMessage(plan, feature));

/**
 * The one place the api checks a plan feature (Stats API, email reports, shared links, funnels).
 * The plan is the org's effective plan, resolved as for the site and member limits: a lapsed or
 * incomplete subscription counts as Free, a grandfathered generation keeps its terms. Quota
 * grace/lock does not change features (the lock is QuotaLockService's own 402 on stats reads).
 */
@Injectable()
export class PlanFeatureService {
  constructor(@Inject(BillingRepository) private readonly billing: BillingRepository) {}

  async has(orgId: string, feature: PlanFeature, now = new Date()): Promise<boolean> {
    return planHasFeature(await this.planOf(orgId, now), feature);
  }

  /** Throws 402 `feature_not_in_plan` naming the feature and the cheapest plan that has it. */
  async require(orgId: string, feature: PlanFeature, now = new Date()): Promise<void> {
    const plan = await this.planOf(orgId, now);
    if (!planHasFeature(plan, feature)) throw featureNotInPlan(plan, feature);
  }

  private async planOf(orgId: string, now: Date): Promise<Readonly<Plan>> {
    return effectivePlan(await this.billing.findProfile(orgId), now);
  }
}
