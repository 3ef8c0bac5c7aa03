'use client';

import { toDateRange, topMetricsFor, type DashboardState, type TopMetric } from '@/lib/dashboard-params';
import { formatMetric } from '@/lib/format';
import { useStatsQuery } from '@/lib/queries/stats';
import { ErrorState, Skeleton } from '@/components/states';

export function TopCards({
  domain,
  state,
  onSelectMetric,
}: {
  domain: string;
  state: DashboardState;
  onSelectMetric: (metric: TopMetric) => void;
}) {
  const cards = topMetricsFor(state.filters);
  const query = useStatsQuery({
    site_id: domain,
    metrics: cards.map((m) => m.value),
    date_range: toDateRange(state),
    filters: state.filters,
    include: { comparisons: { mode: 'previous_period' } },
  });

  if (query.isError && !query.data) {
    return (
      <ErrorState
        error={query.error}
        onRetry={() => void query.refetch()}
        title="Could not load the totals"
      />
    );
  }

  const row = query.data?.results[0];
  return (
    <div className="top-cards" aria-busy={query.isFetching}>
      {cards.map(({ value: metric, label }, i) => {
        const current = row?.metrics[i] ?? 0;
        const previous = row?.comparison?.metrics[i];
        const change = row?.comparison?.change[i] ?? null;
        return (
          <button
            key={metric}
            type="button"
            className="top-card"
            aria-pressed={state.metric === metric}
            onClick={() => onSelectMetric(metric)}
            data-testid={`top-card-${metric}`}
            title={
              previous !== undefined && previous !== null
                ? `Previous period: ${formatMetric(metric, previous)}`
                : undefined
            }
          >
            <span className="top-card-label">{label}</span>
            {query.isPending ? (
              <Skeleton width={72} height={30} />
            ) : (
              <span className="top-card-row">
                <span className="top-card-value" data-testid="top-card-value">
                  {formatMetric(metric, current)}
                </span>
                <Change metric={metric} change={change} />
              </span>
            )}
          </button>
        );
      })}
    </div>
  );
}

function Change({ metric, change }: { metric: TopMetric; change: number | null }) {
  if (change === null || !Number.isFinite(change)) return null;
  const rounded = Math.round(change);
  if (rounded === 0) {
    return <span className="change change-flat">± 0%</span>;
  }
  const up = rounded > 0;
  // A falling bounce rate is good news.
  const good = metric === 'bounce_rate' ? !up : up;
  return (
    <span className={`change ${good ? 'change-good' : 'change-bad'}`}>
      <span aria-hidden="true">{up ? '↑' : '↓'}</span>
      <span className="visually-hidden">{up ? 'up' : 'down'}</span> {Math.abs(rounded)}%
    </span>
  );
}
