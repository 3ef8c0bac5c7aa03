'use client';

import Link from 'next/link';
import { useSiteStatusQuery } from '@/lib/queries/sites';
import { formatRelative } from '@/lib/format';

/** "Waiting for the first event" until the site has data, polling every 2 s. */
export function SiteStatusIndicator({ domain }: { domain: string }) {
  const status = useSiteStatusQuery(domain);
  const receiving = status.data?.hasEvents === true;

  return (
    <div className="stack-sm">
      <div
        className={`notice ${receiving ? 'notice-success' : ''}`}
        data-testid="site-status"
        data-state={receiving ? 'receiving' : 'waiting'}
        role="status"
        aria-live="polite"
      >
        <span className="row">
          <span className={`pulse-dot ${receiving ? '' : 'idle'}`} aria-hidden="true" />
          {receiving ? (
            <strong>Receiving events</strong>
          ) : (
            <span>Waiting for the first event… visit your site in another tab after adding the snippet.</span>
          )}
          {receiving && status.data?.lastEventAt ? (
            <span className="small">last one {formatRelative(status.data.lastEventAt)}</span>
          ) : null}
        </span>
      </div>
      {status.isError ? (
        <span className="field-error">Could not check the status: {status.error.message}</span>
      ) : null}
      {receiving ? (
        <Link className="btn btn-primary" href={`/sites/${encodeURIComponent(domain)}`}>
          Go to the dashboard →
        </Link>
      ) : null}
    </div>
  );
}
