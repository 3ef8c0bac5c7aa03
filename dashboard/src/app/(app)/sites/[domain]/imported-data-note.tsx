'use client';

import Link from 'next/link';
import { toDateRange, topMetricsFor, type DashboardState } from '@/lib/dashboard-params';
import { useStatsQuery } from '@/lib/queries/stats';
import { useStatsRoutes } from '@/lib/stats-endpoint';

/**
 * Shown under the totals when imported history (Plausible / Umami) is part of the figures. It
 * asks exactly what the top cards ask, so react-query answers both from one request.
 */
export function ImportedDataNote({ domain, state }: { domain: string; state: DashboardState }) {
  const { editable } = useStatsRoutes();
  const query = useStatsQuery({
    site_id: domain,
    metrics: topMetricsFor(state.filters).map((m) => m.value),
    date_range: toDateRange(state),
    filters: state.filters,
    include: { comparisons: { mode: 'previous_period' } },
  });
  if (!query.data?.meta.imports_included) return null;
  return (
    <p className="imported-note small muted" data-testid="imported-data-note">
      <span className="badge badge-accent">Imported data</span> Includes history imported
      {editable ? (
        <>
          {' '}
          in <Link href={`/sites/${encodeURIComponent(domain)}/settings`}>site settings</Link>
        </>
      ) : null}{' '}
      for days before this site’s own data.
    </p>
  );
}
