'use client';

import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { isApiError } from '@/lib/api-client';
import { useSiteQuery } from '@/lib/queries/sites';
import { ErrorState, Skeleton } from '@/components/states';
import { useOrgs } from '../../org-context';
import { Breakdowns } from './breakdowns';
import { DateRangePicker } from './date-range-picker';
import { FilterChips } from './filter-chips';
import { ExportButton } from './export-button';
import { FilterDialogButton } from './filter-dialog';
import { FunnelsPanel } from './funnels-panel';
import { LiveFeed, RealtimeBadge } from './realtime-badge';
import { PerformancePanel } from './performance-panel';
import { TopCards } from './top-cards';
import { TotalsNotes } from './totals-notes';
import { useDashboardState } from './use-dashboard-state';
import { VisitorChart } from './visitor-chart';
import { useRealtime } from '@/lib/realtime';
import { queryKeys } from '@/lib/queries/keys';
import { useBillingQuery } from '@/lib/queries/billing';
import { QuotaLockScreen } from './quota-lock-screen';

export function SiteDashboard({ domain }: { domain: string }) {
  const site = useSiteQuery(domain);
  const { rememberOrg } = useOrgs();
  const [state, update] = useDashboardState();
  const orgId = site.data?.orgId;
  const billing = useBillingQuery(orgId);
  const locked = billing.data?.quota.state === 'locked';
  const realtime = useRealtime(domain, site.isSuccess && !billing.isPending && !locked);
  const [showLive, setShowLive] = useState(false);
  useLiveRefresh(realtime.received);

  useEffect(() => {
    // Keep the header's org switcher on the org that owns this site.
    if (orgId) rememberOrg(orgId);
  }, [orgId, rememberOrg]);

  if (site.isError) {
    const notFound = isApiError(site.error) && (site.error.status === 404 || site.error.status === 403);
    return (
      <div className="card">
        {notFound ? (
          <ErrorState
            title="Site not found"
            error={new Error(`${domain} does not exist or you do not have access to it.`)}
          />
        ) : (
          <ErrorState error={site.error} onRetry={() => void site.refetch()} />
        )}
        <p style={{ textAlign: 'center' }}>
          <Link href="/sites">Back to your sites</Link>
        </p>
      </div>
    );
  }

  if (orgId && locked && site.data)
    return (
      <QuotaLockScreen
        orgId={orgId}
        domain={domain}
        reason={billing.data?.quota.reason ?? null}
        lockedAt={billing.data?.quota.lockedAt ?? null}
        siteCreatedAt={site.data.createdAt}
      />
    );
  // Until the org's quota state is known, no stats are asked for (a locked org would get 402s).
  const statsReady = !!orgId && !billing.isPending;

  return (
    <>
      <div className="dash-toolbar">
        <div className="dash-title">
          <span className="site-favicon" aria-hidden="true">
            {domain.charAt(0)}
          </span>
          <h1>{domain}</h1>
        </div>
        {statsReady ? (
          <RealtimeBadge
            domain={domain}
            realtime={realtime}
            expanded={showLive}
            onToggle={() => setShowLive((v) => !v)}
          />
        ) : null}
        <span className="spacer" />
        <FilterDialogButton domain={domain} state={state} onChange={(filters) => update({ filters })} />
        <DateRangePicker state={state} update={update} />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={state.compare}
            onChange={(e) => update({ compare: e.target.checked })}
          />
          Compare
        </label>
        <ExportButton domain={domain} state={state} />
        {site.data && site.data.orgId ? (
          <Link className="btn btn-sm" href={`/sites/${encodeURIComponent(domain)}/settings`}>
            Settings
          </Link>
        ) : (
          <Skeleton width={70} height={30} />
        )}
      </div>
      {showLive ? <LiveFeed events={realtime.events} status={realtime.status} /> : null}
      <FilterChips filters={state.filters} onChange={(filters) => update({ filters })} />
      {statsReady ? (
        <>
          <div className="card chart-card">
            <TopCards domain={domain} state={state} onSelectMetric={(metric) => update({ metric })} />
            <TotalsNotes domain={domain} state={state} />
            <VisitorChart domain={domain} state={state} onInterval={(interval) => update({ interval })} />
          </div>
          <Breakdowns domain={domain} state={state} update={update} />
          <FunnelsPanel domain={domain} state={state} />
          <PerformancePanel domain={domain} state={state} />
        </>
      ) : (
        <div className="card chart-card" aria-busy="true">
          <Skeleton height={280} />
        </div>
      )}
    </>
  );
}

/**
 * New live events mean the numbers changed: refetch the stats, at most once per 2 s so a burst of
 * traffic costs one round of queries.
 */
function useLiveRefresh(received: number) {
  const queryClient = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    if (received === 0 || timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      void queryClient.invalidateQueries({ queryKey: queryKeys.statsAll });
    }, 2000);
  }, [received, queryClient]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
}
