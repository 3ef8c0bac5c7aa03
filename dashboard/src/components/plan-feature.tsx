'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { useBillingQuery, usePlansQuery } from '@/lib/queries/billing';

/** The plan features the api gates (402 `feature_not_in_plan`), as the pricing table names them. */
export type GatedFeature = 'stats_api' | 'email_reports' | 'shared_links' | 'funnels';
const NAMES: Record<GatedFeature, { name: string; is: string; it: string }> = {
  stats_api: { name: 'The Stats API', is: 'is', it: 'it' },
  email_reports: { name: 'Email reports', is: 'are', it: 'them' },
  shared_links: { name: 'Shared links', is: 'are', it: 'them' },
  funnels: { name: 'Funnels', is: 'are', it: 'them' },
};

/**
 * Whether the org's current plan (the billing view's effective plan) has a feature, and the
 * upgrade note to show instead of a form that would fail. `included` is undefined while loading
 * or when the billing view failed: the section then shows its form and the api's 402 explains.
 */
export function usePlanFeature(
  orgId: string | undefined,
  feature: GatedFeature,
): { included: boolean | undefined; note: ReactNode } {
  const billing = useBillingQuery(orgId);
  const plans = usePlansQuery();
  const plan = billing.data?.plan;
  if (!plan || !orgId) return { included: undefined, note: null };
  if (plan.features.includes(feature)) return { included: true, note: null };
  const cheapest = plans.data?.find((p) => p.features.includes(feature));
  const { name, is, it } = NAMES[feature];
  return {
    included: false,
    note: (
      <p className="notice notice-upgrade" role="note">
        {name} {is} not included in the {plan.name} plan.{' '}
        <Link href={`/orgs/${encodeURIComponent(orgId)}/billing`}>
          {cheapest ? `Upgrade to ${cheapest.name}` : 'See the plans'}
        </Link>{' '}
        to use {it}.
      </p>
    ),
  };
}
