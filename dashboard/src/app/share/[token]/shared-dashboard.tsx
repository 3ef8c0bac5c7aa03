'use client';

import { useMemo, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { RealtimeVisitors, SharedDashboardView } from '@sightline/api-contract';
import { apiFetch, isApiError } from '@/lib/api-client';
import { queryKeys } from '@/lib/queries/keys';
import { sharedStatsRoutes, StatsRoutesProvider } from '@/lib/stats-endpoint';
import { FormError, TextField } from '@/components/field';
import { LogoMark } from '@/components/logo';
import { ErrorState, LoadingState } from '@/components/states';
import { Breakdowns } from '@/app/(app)/sites/[domain]/breakdowns';
import { DateRangePicker } from '@/app/(app)/sites/[domain]/date-range-picker';
import { ExportButton } from '@/app/(app)/sites/[domain]/export-button';
import { FilterChips } from '@/app/(app)/sites/[domain]/filter-chips';
import { FilterDialogButton } from '@/app/(app)/sites/[domain]/filter-dialog';
import { FunnelsPanel } from '@/app/(app)/sites/[domain]/funnels-panel';
import { TotalsNotes } from '@/app/(app)/sites/[domain]/totals-notes';
import { PerformancePanel } from '@/app/(app)/sites/[domain]/performance-panel';
import { TopCards } from '@/app/(app)/sites/[domain]/top-cards';
import { useDashboardState } from '@/app/(app)/sites/[domain]/use-dashboard-state';
import { VisitorChart } from '@/app/(app)/sites/[domain]/visitor-chart';

const sharePath = (token: string) => `/api/share/${encodeURIComponent(token)}`;

/**
 * A site's dashboard through a shared link: every panel of the member's dashboard (the same
 * components, their queries sent to the link's own routes, `sharedStatsRoutes`), read-only,
 * without settings, funnel editing or anything else of the account.
 */
export function SharedDashboard({ token }: { token: string }) {
  const shared = useQuery({
    queryKey: queryKeys.sharedDashboard(token),
    queryFn: ({ signal }) => apiFetch<SharedDashboardView>(sharePath(token), { signal }),
    meta: { redirectOn401: false },
  });
  const currency = shared.data?.currency ?? 'USD';
  const routes = useMemo(() => sharedStatsRoutes(token, currency), [token, currency]);

  let body;
  if (shared.isPending) body = <LoadingState label="Loading the shared dashboard" />;
  else if (shared.isError) {
    const error = shared.error;
    if (isApiError(error) && error.status === 401 && error.code === 'password_required')
      body = <SharePasswordForm token={token} />;
    else if (isApiError(error) && error.status === 404)
      body = (
        <div className="card">
          <ErrorState
            title="Link not available"
            error={new Error('This shared dashboard does not exist, was revoked, or has expired.')}
          />
        </div>
      );
    else if (isApiError(error) && error.code === 'feature_not_in_plan')
      body = (
        <div className="card">
          <ErrorState title="Shared dashboard paused" error={error} />
        </div>
      );
    else body = <ErrorState error={error} onRetry={() => void shared.refetch()} />;
  } else
    body = (
      <StatsRoutesProvider routes={routes}>
        <SharedPanels token={token} site={shared.data} />
      </StatsRoutesProvider>
    );

  return (
    <>
      <header className="app-header">
        <div className="container app-header-inner">
          <span className="logo">
            <LogoMark />
            Sightline
          </span>
          <span className="badge">Shared dashboard · read-only</span>
        </div>
      </header>
      <main className="container page">{body}</main>
    </>
  );
}

function SharedPanels({ token, site }: { token: string; site: SharedDashboardView }) {
  const [state, update] = useDashboardState();
  const domain = site.domain;
  const realtime = useQuery({
    queryKey: queryKeys.sharedRealtime(token),
    queryFn: ({ signal }) => apiFetch<RealtimeVisitors>(`${sharePath(token)}/realtime`, { signal }),
    refetchInterval: 30_000,
    meta: { redirectOn401: false },
  });
  const visitors = realtime.data?.visitors;

  return (
    <>
      <div className="dash-toolbar">
        <div className="dash-title">
          <span className="site-favicon" aria-hidden="true">
            {domain.charAt(0)}
          </span>
          <h1>{site.name || domain}</h1>
        </div>
        <span className="badge badge-good">
          <span className="pulse-dot" aria-hidden="true" />
          <span data-testid="current-visitors">{visitors ?? '…'}</span> current visitor
          {visitors === 1 ? '' : 's'}
        </span>
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
      </div>
      <FilterChips filters={state.filters} onChange={(filters) => update({ filters })} />
      <div className="card chart-card">
        <TopCards domain={domain} state={state} onSelectMetric={(metric) => update({ metric })} />
        <TotalsNotes domain={domain} state={state} />
        <VisitorChart domain={domain} state={state} onInterval={(interval) => update({ interval })} />
      </div>
      <Breakdowns domain={domain} state={state} update={update} />
      <FunnelsPanel domain={domain} state={state} />
      <PerformancePanel domain={domain} state={state} />
    </>
  );
}

function SharePasswordForm({ token }: { token: string }) {
  const queryClient = useQueryClient();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await apiFetch<void>(`${sharePath(token)}/password`, { method: 'POST', body: { password } });
      await queryClient.invalidateQueries({ queryKey: queryKeys.sharedDashboard(token) });
    } catch (err) {
      setError(
        isApiError(err) && err.code === 'wrong_password'
          ? 'That password is not correct.'
          : err instanceof Error
            ? err.message
            : 'Could not check the password.',
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="auth-card" style={{ margin: '2rem auto' }}>
      <h1>This dashboard is protected</h1>
      <p className="muted">Enter the password you were given to see the stats.</p>
      <form className="stack" onSubmit={submit}>
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <FormError message={error} />
        <button type="submit" className="btn btn-primary" disabled={busy || !password}>
          {busy ? 'Checking…' : 'View dashboard'}
        </button>
      </form>
    </div>
  );
}
