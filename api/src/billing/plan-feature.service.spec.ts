import { describe, expect, it } from 'vitest';
import type { BillingProfileEntity } from '@sightline/database';
import { DomainError } from '../common/domain-error';
import type { BillingRepository } from './billing.repository';
import { PlanFeatureService } from './plan-feature.service';

/** A billing repository that knows one profile (or none: the org never had one, i.e. Free). */
function service(profile: Partial<BillingProfileEntity> | null): PlanFeatureService {
  const billing = { findProfile: () => Promise.resolve(profile) } as unknown as BillingRepository;
  return new PlanFeatureService(billing);
}
const now = new Date('2026-06-15T12:00:00Z');
const profile = (
  planCode: string,
  subscriptionStatus: string | null,
  currentPeriodEnd: Date | null = null,
) => ({
  planCode,
  planGeneration: 1,
  subscriptionStatus,
  currentPeriodEnd,
});

describe('PlanFeatureService', () => {
  it.each([
    ['no profile', null, 'stats_api', false],
    ['free', profile('free', null), 'stats_api', false],
    ['basic active', profile('basic', 'active'), 'stats_api', true],
    ['basic active', profile('basic', 'active'), 'funnels', false],
    ['premium past_due', profile('premium', 'past_due'), 'funnels', true],
    ['premium incomplete', profile('premium', 'incomplete'), 'funnels', false],
    [
      'premium canceled, paid until later',
      profile('premium', 'canceled', new Date('2026-07-01')),
      'shared_links',
      true,
    ],
    [
      'premium canceled, period over',
      profile('premium', 'canceled', new Date('2026-06-01')),
      'shared_links',
      false,
    ],
  ] as const)('%s: %s → %s', async (_, p, feature, expected) => {
    expect(await service(p).has('org', feature, now)).toBe(expected);
  });

  it('refuses with 402 feature_not_in_plan naming the cheapest plan', async () => {
    const err = await service(profile('basic', 'active'))
      .require('org', 'shared_links', now)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({
      status: 402,
      code: 'feature_not_in_plan',
      message: 'Shared links are not included in the Basic plan. Upgrade to Premium or higher to use them.',
    });
    await expect(
      service(profile('premium', 'active')).require('org', 'shared_links', now),
    ).resolves.toBeUndefined();
  });
});
