'use client';

import Link from 'next/link';
import { Area, AreaChart, ResponsiveContainer, Tooltip, YAxis } from 'recharts';
import type { SiteView } from '@sightline/api-contract';
import { useStatsQuery } from '@/lib/queries/stats';
import { formatBucketLong, formatNumber } from '@/lib/format';
import { Skeleton } from '@/components/states';

export function SiteCard({ site }: { site: SiteView }) {
  const total = useStatsQuery({ site_id: site.domain, metrics: ['visitors'], date_range: '7d' });
  const series = useStatsQuery({
    site_id: site.domain,
    metrics: ['visitors'],
    date_range: '7d',
    dimensions: ['time:day'],
    include: { time_labels: true },
  });

  const visitors = total.data?.results[0]?.metrics[0] ?? null;
  const points = toPoints(series.data?.results ?? [], series.data?.meta.time_labels);

  return (
    <Link
      href={`/sites/${encodeURIComponent(site.domain)}`}
      className="card site-card"
      data-testid={`site-card-${site.domain}`}
    >
      <div className="site-card-head">
        <span className="site-favicon" aria-hidden="true">
          {site.domain.charAt(0)}
        </span>
        <span className="site-domain">{site.domain}</span>
      </div>
      <div className="site-stat">
        {total.isPending ? (
          <Skeleton width={60} height={24} />
        ) : total.isError ? (
          <span className="muted small">Stats unavailable</span>
        ) : (
          <strong>{formatNumber(visitors)}</strong>
        )}
        <span className="muted small">visitors in the last 7 days</span>
      </div>
      <div className="sparkline" aria-hidden="true">
        {series.isPending ? (
          <Skeleton height={56} />
        ) : points.length > 0 ? (
          <ResponsiveContainer width="100%" height="100%">
            <AreaChart
              data={points}
              margin={{ top: 4, right: 0, bottom: 0, left: 0 }}
              // A decoration (aria-hidden): no keyboard stop of its own.
              accessibilityLayer={false}
            >
              <defs>
                <linearGradient id={`spark-${site.id}`} x1="0" y1="0" x2="0" y2="1">
                  <stop offset="0%" stopColor="#6f6fe8" stopOpacity={0.35} />
                  <stop offset="100%" stopColor="#6f6fe8" stopOpacity={0} />
                </linearGradient>
              </defs>
              <YAxis hide domain={[0, 'dataMax']} />
              <Tooltip
                cursor={false}
                content={({ active, payload }) => {
                  const point = payload?.[0]?.payload as { label: string; value: number } | undefined;
                  if (!active || !point) return null;
                  return (
                    <div className="chart-tooltip">
                      {formatBucketLong(point.label, 'day')}: <strong>{formatNumber(point.value)}</strong>
                    </div>
                  );
                }}
              />
              <Area
                type="monotone"
                dataKey="value"
                stroke="#6f6fe8"
                strokeWidth={2}
                fill={`url(#spark-${site.id})`}
                isAnimationActive={false}
              />
            </AreaChart>
          </ResponsiveContainer>
        ) : null}
      </div>
    </Link>
  );
}

function toPoints(
  rows: { dimensions: (string | number)[]; metrics: (number | null)[] }[],
  labels: string[] | undefined,
): { label: string; value: number }[] {
  const byLabel = new Map(rows.map((r) => [String(r.dimensions[0] ?? ''), r.metrics[0] ?? 0]));
  const keys = labels ?? rows.map((r) => String(r.dimensions[0] ?? ''));
  return keys.map((label) => ({ label, value: byLabel.get(label) ?? 0 }));
}
