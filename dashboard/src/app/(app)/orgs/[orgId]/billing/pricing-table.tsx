'use client';

import { useState } from 'react';
import type { BillingView } from '@sightline/api-contract';
import { PLAN_FEATURE_LABELS } from '@sightline/plans';
import { ErrorState, LoadingState } from '@/components/states';
import { useCheckoutMutation, usePlansQuery } from '@/lib/queries/billing';

const fmt = (n: number) => n.toLocaleString('en-US');
const years = (days: number) => {
  const n = Math.round(days / 365);
  return `${n} year${n === 1 ? '' : 's'}`;
};
// The plans' feature codes (from GET /api/plans) named as the plan definitions name them; a code the
// dashboard does not know yet shows as itself.
const featureLabel = (code: string): string =>
  (PLAN_FEATURE_LABELS as Readonly<Record<string, string>>)[code] ?? code;

/** The plans from GET /api/plans, with Upgrade buttons for owners. */
export function PricingTable({ orgId, view, owner }: { orgId: string; view: BillingView; owner: boolean }) {
  const plans = usePlansQuery();
  const checkout = useCheckoutMutation(orgId);
  const [interval, setBillingInterval] = useState<'monthly' | 'yearly'>('monthly');
  const subscribed =
    !!view.subscriptionStatus && !['canceled', 'incomplete_expired'].includes(view.subscriptionStatus);

  return (
    <section className="card" aria-labelledby="plans-title">
      <div className="card-title card-title-wrap">
        <h2 id="plans-title">Plans</h2>
        <span className="spacer" />
        <div className="segmented" role="group" aria-label="Billing interval">
          {(['monthly', 'yearly'] as const).map((i) => (
            <button
              key={i}
              type="button"
              className={`btn btn-sm ${interval === i ? 'btn-primary' : ''}`}
              aria-pressed={interval === i}
              onClick={() => setBillingInterval(i)}
            >
              {i === 'monthly' ? 'Monthly' : 'Yearly'}
            </button>
          ))}
        </div>
      </div>
      {plans.isPending ? (
        <LoadingState />
      ) : plans.isError ? (
        <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />
      ) : (
        <div className="pricing">
          {plans.data.map((plan) => {
            const current = plan.code === view.plan.code;
            const price = plan.displayPrice[interval] / 100;
            return (
              <div key={plan.code} className={`plan ${current ? 'plan-current' : ''}`} data-plan={plan.code}>
                <h3>{plan.name}</h3>
                <p className="plan-price">
                  {price === 0 ? 'Free' : `$${price}`}
                  {price ? (
                    <span className="muted small"> / {interval === 'monthly' ? 'month' : 'year'}</span>
                  ) : null}
                </p>
                <ul>
                  <li>{fmt(plan.monthlyEventQuota)} events a month</li>
                  <li>{plan.siteLimit} sites</li>
                  <li>{plan.memberLimit} team members</li>
                  <li>{years(plan.retentionDays)} of data</li>
                  {plan.features.map((f) => (
                    <li key={f}>{featureLabel(f)}</li>
                  ))}
                </ul>
                {current ? (
                  <span className="badge badge-accent">Current plan</span>
                ) : plan.code !== 'free' && owner && view.billingEnabled && !subscribed ? (
                  <button
                    type="button"
                    className="btn btn-primary"
                    disabled={checkout.isPending}
                    onClick={() => checkout.mutate({ plan: plan.code as 'basic' | 'premium', interval })}
                  >
                    {checkout.isPending && checkout.variables?.plan === plan.code
                      ? 'Opening checkout…'
                      : `Upgrade to ${plan.name}`}
                  </button>
                ) : null}
              </div>
            );
          })}
        </div>
      )}
      {checkout.isError ? (
        <p className="notice notice-bad" role="alert">
          {checkout.error.message}
        </p>
      ) : null}
      {subscribed && owner ? (
        <p className="muted small">To change plans, use “Manage subscription” above.</p>
      ) : !owner ? (
        <p className="muted small">Only owners of the organization can change its plan.</p>
      ) : null}
    </section>
  );
}
