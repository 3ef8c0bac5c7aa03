'use client';

import Link from 'next/link';
import { toDateRange, topMetricsFor, type DashboardState } from '@/lib/dashboard-params';
import { useStatsQuery } from '@/lib/queries/stats';
import { useStatsRoutes } from '@/lib/stats-endpoint';
import { sampleDenominatorOf } from '@sightline/query/src/query-response';

/**
 * What the figures under the totals are made of, when it is not simply this site's own events:
 * imported history (Plausible / Umami) and sampling (a big site's long range is estimated from a
 * share of its visitors). It asks exactly what the top cards ask, so react-query answers both from
 * one request. The engine samples every request of a range alike, except that requests with a
 * comparison also weigh the previous period's size.
 */
export function TotalsNotes({ domain, state }: { domain: string; state: DashboardState }) {
  const { editable } = useStatsRoutes();
  const query = useStatsQuery({
    site_id: domain,
    metrics: topMetricsFor(state.filters).map((m) => m.value),
    date_range: toDateRange(state),
    filters: state.filters,
    include: { comparisons: { mode: 'previous_period' } },
  });
  const meta = query.data?.meta;
  if (!meta?.imports_included && !meta?.sampling) return null;
  return (
    <div className="totals-notes">
      {meta.imports_included ? (
        <p className="small muted" data-testid="imported-data-note">
          <span className="badge badge-accent">Imported data</span> Includes history imported
          {editable ? (
            <>
              {' '}
              in <Link href={`/sites/${encodeURIComponent(domain)}/settings`}>site settings</Link>
            </>
          ) : null}{' '}
          for days before this site’s own data.
        </p>
      ) : null}
      {meta.sampling ? (
        <p className="small muted" data-testid="sampled-data-note">
          <span className="badge">Sampled</span> Estimated from 1 in{' '}
          {sampleDenominatorOf(meta.sampling).toLocaleString('en-US')} of this period’s visitors (
          {meta.sampling.rows_in_range.toLocaleString('en-US')} events): counts may be off by a few percent.
        </p>
      ) : null}
    </div>
  );
}
