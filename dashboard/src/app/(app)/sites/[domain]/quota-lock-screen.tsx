import Link from 'next/link';
import type { DashboardState } from '@/lib/dashboard-params';
import { ExportButton } from './export-button';

const DAY = 86_400_000;

/** The export of everything up to the day before the lock (the API answers that range while locked). */
function pastDataState(siteCreatedAt: string, lockedAt: string): DashboardState {
  const to = new Date(new Date(lockedAt).getTime() - DAY).toISOString().slice(0, 10);
  const earliest = new Date(new Date(lockedAt).getTime() - 10 * 365 * DAY).toISOString().slice(0, 10);
  const created = siteCreatedAt.slice(0, 10);
  const from = [created, earliest, to].sort()[1] ?? to;
  return {
    period: 'custom',
    from: from > to ? to : from,
    to,
    filters: [],
    metric: 'visitors',
    interval: 'month',
    compare: false,
  };
}

/** What a locked org sees instead of its stats (the API answers 402 quota_locked). */
export function QuotaLockScreen({
  orgId,
  domain,
  reason,
  lockedAt,
  siteCreatedAt,
}: {
  orgId: string;
  domain: string;
  reason: string | null;
  lockedAt: string | null;
  siteCreatedAt: string;
}) {
  return (
    <div className="card lock-screen stack" role="alert" data-testid="quota-lock">
      <h1>Your stats are still being counted</h1>
      <p>
        This organization stayed over its plan&apos;s event quota after the 7-day grace period, so its stats
        view is locked. <strong>No event was dropped</strong>: everything your sites send is recorded and will
        be here when you unlock.
      </p>
      {reason ? <p className="muted">Why: {reason}.</p> : null}
      <p>
        Upgrading to a plan that fits unlocks the stats at once. Settings, billing and exports of past data
        keep working.
      </p>
      <div className="row" style={{ justifyContent: 'center' }}>
        <Link className="btn btn-primary" href={`/orgs/${encodeURIComponent(orgId)}/billing`}>
          See plans and upgrade
        </Link>
        {lockedAt ? <ExportButton domain={domain} state={pastDataState(siteCreatedAt, lockedAt)} /> : null}
      </div>
    </div>
  );
}
