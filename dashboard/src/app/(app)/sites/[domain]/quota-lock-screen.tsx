import Link from 'next/link';

/** What a locked org sees instead of its stats (the API answers 402 quota_locked). */
export function QuotaLockScreen({ orgId, reason }: { orgId: string; reason: string | null }) {
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
      <Link className="btn btn-primary" href={`/orgs/${encodeURIComponent(orgId)}/billing`}>
        See plans and upgrade
      </Link>
    </div>
  );
}
