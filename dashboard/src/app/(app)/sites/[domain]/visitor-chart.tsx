'use client';

import { useId } from 'react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  allowedIntervals,
  topMetricsFor,
  toDateRange,
  type DashboardState,
  type Interval,
} from '@/lib/dashboard-params';
import { formatBucket, formatBucketLong, formatMetric } from '@/lib/format';
import { useStatsQuery } from '@/lib/queries/stats';
import type { QueryResponse } from '@/lib/query-types';
import { EmptyState, ErrorState, Skeleton } from '@/components/states';

const ACCENT = '#6f6fe8';
const PREVIOUS = '#9aa1b2';
const INTERVAL_LABELS: Record<Interval, string> = {
  hour: 'Hours',
  day: 'Days',
  week: 'Weeks',
  month: 'Months',
};

interface Point {
  label: string;
  value: number;
  previous: number | null;
  previousLabel: string | null;
}

function toPoints(data: QueryResponse | undefined): Point[] {
  if (!data) return [];
  const byLabel = new Map(data.results.map((row) => [String(row.dimensions[0] ?? ''), row]));
  const labels = data.meta.time_labels ?? data.results.map((row) => String(row.dimensions[0] ?? ''));
  return labels.map((label) => {
    const row = byLabel.get(label);
    return {
      label,
      value: row?.metrics[0] ?? 0,
      previous: row?.comparison ? (row.comparison.metrics[0] ?? 0) : null,
      previousLabel:
        row?.comparison?.dimensions[0] !== undefined ? String(row.comparison.dimensions[0]) : null,
    };
  });
}

export function VisitorChart({
  domain,
  state,
  onInterval,
}: {
  domain: string;
  state: DashboardState;
  onInterval: (interval: Interval) => void;
}) {
  const selectId = useId();
  const gradientId = `chart-fill-${useId().replace(/:/g, '')}`;
  const intervals = allowedIntervals(state.period, state.from, state.to);
  const query = useStatsQuery({
    site_id: domain,
    metrics: [state.metric],
    date_range: toDateRange(state),
    dimensions: [`time:${state.interval}`],
    filters: state.filters,
    include: { time_labels: true, comparisons: state.compare ? { mode: 'previous_period' } : null },
  });

  const points = toPoints(query.data);
  const metricLabel =
    topMetricsFor(state.filters).find((m) => m.value === state.metric)?.label ?? state.metric;
  const hasData = points.some((p) => p.value > 0 || (p.previous ?? 0) > 0);
  const showPrevious = state.compare && points.some((p) => p.previous !== null);

  return (
    <section aria-label={`${metricLabel} over time`}>
      <div className="chart-head">
        <h2 className="small muted" style={{ fontWeight: 600 }}>
          {metricLabel}
        </h2>
        {showPrevious ? (
          <span className="small muted">
            <span className="legend-swatch" style={{ background: ACCENT }} />
            This period <span className="legend-swatch" style={{ background: PREVIOUS, marginLeft: 10 }} />
            Previous period
          </span>
        ) : null}
        <span className="spacer" />
        {intervals.length > 1 ? (
          <>
            <label className="visually-hidden" htmlFor={selectId}>
              Granularity
            </label>
            <select
              id={selectId}
              className="select select-inline"
              value={state.interval}
              onChange={(e) => onInterval(e.target.value as Interval)}
            >
              {intervals.map((i) => (
                <option key={i} value={i}>
                  {INTERVAL_LABELS[i]}
                </option>
              ))}
            </select>
          </>
        ) : null}
      </div>
      <div className="chart-area" aria-busy={query.isFetching}>
        {query.isPending ? (
          <Skeleton height="100%" style={{ marginLeft: 20 }} />
        ) : query.isError && !query.data ? (
          <ErrorState
            error={query.error}
            onRetry={() => void query.refetch()}
            title="Could not load the chart"
          />
        ) : !hasData ? (
          <EmptyState title="No visitors yet in this period">
            Pick a longer date range, or check that the snippet is installed.
          </EmptyState>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={points} margin={{ top: 12, right: 16, bottom: 0, left: 4 }}>
              <defs>
                <linearGradient id={gradientId} x1="0" y1="0" x2="0" y2="1">
                  <stop offset="0%" stopColor={ACCENT} stopOpacity={0.3} />
                  <stop offset="100%" stopColor={ACCENT} stopOpacity={0} />
                </linearGradient>
              </defs>
              <CartesianGrid vertical={false} strokeDasharray="3 3" />
              <XAxis
                dataKey="label"
                tickFormatter={(label: string) => formatBucket(label, state.interval)}
                tickLine={false}
                axisLine={false}
                minTickGap={24}
                tickMargin={8}
              />
              <YAxis
                tickFormatter={(v: number) => formatMetric(state.metric, v)}
                tickLine={false}
                axisLine={false}
                width={56}
                allowDecimals={false}
              />
              <Tooltip
                cursor={{ stroke: 'var(--border-strong)' }}
                content={({ active, payload }) => {
                  const point = payload?.[0]?.payload as Point | undefined;
                  if (!active || !point) return null;
                  return (
                    <div className="chart-tooltip">
                      <div className="chart-tooltip-row">
                        <span>
                          <span className="legend-swatch" style={{ background: ACCENT }} />
                          {formatBucketLong(point.label, state.interval)}
                        </span>
                        <strong>{formatMetric(state.metric, point.value)}</strong>
                      </div>
                      {showPrevious && point.previous !== null ? (
                        <div className="chart-tooltip-row muted">
                          <span>
                            <span className="legend-swatch" style={{ background: PREVIOUS }} />
                            {point.previousLabel
                              ? formatBucketLong(point.previousLabel, state.interval)
                              : 'Previous'}
                          </span>
                          <strong>{formatMetric(state.metric, point.previous)}</strong>
                        </div>
                      ) : null}
                    </div>
                  );
                }}
              />
              {showPrevious ? (
                <Line
                  type="monotone"
                  dataKey="previous"
                  stroke={PREVIOUS}
                  strokeDasharray="4 4"
                  strokeWidth={1.5}
                  dot={false}
                  isAnimationActive={false}
                />
              ) : null}
              <Area
                type="monotone"
                dataKey="value"
                stroke={ACCENT}
                strokeWidth={2}
                fill={`url(#${gradientId})`}
                dot={false}
                activeDot={{ r: 4 }}
                isAnimationActive={false}
              />
            </ComposedChart>
          </ResponsiveContainer>
        )}
      </div>
    </section>
  );
}
