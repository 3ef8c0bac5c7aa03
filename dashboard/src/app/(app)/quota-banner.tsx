'use client';

import Link from 'next/link';
import { useBillingQuery } from '@/lib/queries/billing';
import { useOrgs } from './org-context';

const day = (iso: string) =>
  new Date(iso).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** On every signed-in page while the current org is in grace or locked. */
export function QuotaBanner() {
  const { current } = useOrgs();
  const billing = useBillingQuery(current?.orgId);
  const quota = billing.data?.quota;
  if (!current || !quota || quota.state === 'ok') return null;
  const href = `/orgs/${encodeURIComponent(current.orgId)}/billing`;
  return (
    <div
      className={`banner ${quota.state === 'locked' ? 'banner-bad' : ''}`}
      role="status"
      data-testid="quota-banner"
    >
      <div className="container banner-inner">
        <span>
          {quota.state === 'grace' ? (
            <>
              <strong>{current.orgName}</strong> is over its plan&apos;s event quota. Stats lock on{' '}
              {day(quota.graceEndsAt ?? '')} unless you upgrade. No event is dropped.
            </>
          ) : (
            <>
              The stats of <strong>{current.orgName}</strong> are locked (over quota). Your stats are still
              being counted.
            </>
          )}
        </span>
        <Link className="btn btn-sm" href={href}>
          {quota.state === 'grace' ? 'See plans' : 'Upgrade to unlock'}
        </Link>
      </div>
    </div>
  );
}
