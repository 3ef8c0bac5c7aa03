'use client';

import { useEffect, useRef } from 'react';
import { useRouter, useSearchParams } from 'next/navigation';
import type { BillingView } from '@sightline/api-contract';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useBillingQuery, useCheckoutSyncMutation, usePortalMutation } from '@/lib/queries/billing';
import { useOrgs } from '../../../org-context';
import { PricingTable } from './pricing-table';

const fmt = (n: number) => n.toLocaleString('en-US');
const day = (iso: string) =>
  new Date(iso).toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });

export function BillingOverview({ orgId }: { orgId: string }) {
  const { orgs, rememberOrg } = useOrgs();
  const membership = orgs.find((o) => o.orgId === orgId);
  const billing = useBillingQuery(membership ? orgId : undefined);
  const sync = useCheckoutSyncMutation(orgId);
  const portal = usePortalMutation(orgId);
  const router = useRouter();
  const sessionId = useSearchParams().get('checkout');
  const synced = useRef(false);

  useEffect(() => {
    if (membership) rememberOrg(membership.orgId);
  }, [membership, rememberOrg]);

  // Back from Stripe Checkout: sync once, then drop the session id from the URL.
  useEffect(() => {
    if (!sessionId || synced.current || !membership) return;
    synced.current = true;
    sync.mutate(sessionId, { onSettled: () => router.replace(`/orgs/${encodeURIComponent(orgId)}/billing`) });
  }, [sessionId, membership, sync, router, orgId]);

  if (!membership) {
    return (
      <div className="card">
        <EmptyState title="Organization not found">You are not a member of this organization.</EmptyState>
      </div>
    );
  }
  const owner = membership.role === 'owner';

  return (
    <div className="stack" style={{ maxWidth: 960 }}>
      <div className="page-header" style={{ marginBottom: 0 }}>
        <h1>Billing</h1>
        <span className="badge">{membership.orgName}</span>
      </div>
      {sync.isSuccess ? (
        <p className="notice notice-good" role="status">
          Thank you! {membership.orgName} is now on the {sync.data.plan.name} plan.
        </p>
      ) : null}
      {billing.isPending ? (
        <div className="card">
          <LoadingState />
        </div>
      ) : billing.isError ? (
        <div className="card">
          <ErrorState error={billing.error} onRetry={() => void billing.refetch()} />
        </div>
      ) : (
        <>
          <PlanCard view={billing.data} owner={owner} portal={portal} />
          <UsageCard view={billing.data} />
          <PricingTable orgId={orgId} view={billing.data} owner={owner} />
        </>
      )}
    </div>
  );
}

function PlanCard({
  view,
  owner,
  portal,
}: {
  view: BillingView;
  owner: boolean;
  portal: ReturnType<typeof usePortalMutation>;
}) {
  const state = view.quota.state;
  return (
    <section className="card" aria-labelledby="plan-title">
      <div className="card-title card-title-wrap">
        <h2 id="plan-title">
          Plan: <span data-testid="current-plan">{view.plan.name}</span>
        </h2>
        <span className={`badge ${state === 'ok' ? 'badge-good' : 'badge-warn'}`} data-testid="quota-state">
          {state === 'ok'
            ? 'OK'
            : state === 'grace'
              ? `Grace until ${day(view.quota.graceEndsAt ?? '')}`
              : 'Stats locked'}
        </span>
        <span className="spacer" />
        {owner && view.hasCustomer && view.billingEnabled ? (
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => portal.mutate()}
            disabled={portal.isPending}
          >
            {portal.isPending ? 'Opening…' : 'Manage subscription'}
          </button>
        ) : null}
      </div>
      <dl className="facts">
        <dt>Events per cycle</dt>
        <dd>{fmt(view.plan.monthlyEventQuota)}</dd>
        <dt>Sites</dt>
        <dd>
          {view.siteCount} of {view.plan.siteLimit}
        </dd>
        <dt>Members</dt>
        <dd>
          {view.memberCount} of {view.plan.memberLimit}
        </dd>
        <dt>Data kept</dt>
        <dd>
          {Math.round(view.plan.retentionDays / 365)} year
          {Math.round(view.plan.retentionDays / 365) === 1 ? '' : 's'}
        </dd>
        {view.subscriptionStatus ? (
          <>
            <dt>Subscription</dt>
            <dd>
              {view.subscriptionStatus.replace('_', ' ')}
              {view.interval ? `, billed ${view.interval}` : ''}
              {view.currentPeriodEnd
                ? view.cancelAtPeriodEnd
                  ? `, ends ${day(view.currentPeriodEnd)}`
                  : `, renews ${day(view.currentPeriodEnd)}`
                : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {view.quota.reason && state !== 'ok' ? <p className="muted">Why: {view.quota.reason}.</p> : null}
      {view.failedPaymentAttempts > 0 ? (
        <p className="notice notice-bad" role="alert">
          The last payment failed ({view.failedPaymentAttempts} attempt
          {view.failedPaymentAttempts > 1 ? 's' : ''}). Your plan stays active while Stripe retries; update
          the payment method under “Manage subscription”.
        </p>
      ) : null}
      {view.ingestion.refusesFrom ? (
        <p className="notice notice-bad" role="alert">
          {view.ingestion.refused
            ? `Events are refused since ${day(view.ingestion.refusesFrom)} because the subscription is unpaid.`
            : `The subscription is unpaid: events will be refused from ${day(view.ingestion.refusesFrom)}.`}
        </p>
      ) : null}
      {view.ingestion.refusedEvents > 0 ? (
        <p className="muted">Events refused so far: {fmt(view.ingestion.refusedEvents)}.</p>
      ) : null}
      {portal.isError ? <p className="field-error">{portal.error.message}</p> : null}
      {!view.billingEnabled ? <p className="muted">Payments are not configured on this server.</p> : null}
    </section>
  );
}

function UsageCard({ view }: { view: BillingView }) {
  const usage = view.usage;
  const percent = usage ? Math.min(usage.percent, 100) : 0;
  const level = !usage ? '' : usage.percent >= 100 ? 'bad' : usage.percent >= 80 ? 'warn' : 'good';
  return (
    <section className="card" aria-labelledby="usage-title">
      <div className="card-title">
        <h2 id="usage-title">Usage this cycle</h2>
      </div>
      {usage ? (
        <>
          <p>
            <strong data-testid="cycle-events">{fmt(usage.events)}</strong> of {fmt(usage.quota)} events (
            {usage.percent} %) · {day(usage.cycleStart)} – {day(usage.cycleEnd)}
          </p>
          <div
            className={`usage-bar usage-${level}`}
            role="meter"
            aria-label="Events used this cycle"
            aria-valuemin={0}
            aria-valuemax={usage.quota}
            aria-valuenow={usage.events}
          >
            <span style={{ width: `${percent}%` }} />
          </div>
          <p className="muted small">
            Counted every 15 minutes. Going over never drops events: Sightline keeps recording them.
          </p>
        </>
      ) : (
        <p className="muted">No usage counted yet for this cycle.</p>
      )}
      {view.previousCycles.length ? (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Previous cycles</caption>
            <thead>
              <tr>
                <th scope="col">Previous cycle</th>
                <th scope="col">Events</th>
                <th scope="col">Of quota</th>
              </tr>
            </thead>
            <tbody>
              {view.previousCycles.map((c) => (
                <tr key={c.cycleStart}>
                  <td>
                    {day(c.cycleStart)} – {day(c.cycleEnd)}
                  </td>
                  <td>{fmt(c.events)}</td>
                  <td>{Math.round((c.events / view.plan.monthlyEventQuota) * 100)} %</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
