'use client';

import { useMemo, useState, type MouseEvent } from 'react';
import { addFilter, toDateRange, type DashboardState } from '@/lib/dashboard-params';
import { countryName, formatMetric } from '@/lib/format';
import { useStatsQuery } from '@/lib/queries/stats';
import { ErrorState, LoadingState } from '@/components/states';
import { MAP_HEIGHT, MAP_WIDTH, worldShapes } from './world-geometry';

/** Shades from the lightest to the strongest share of the accent colour; 0 visitors stays unshaded. */
const SHADES = [18, 34, 52, 72, 92];

interface Hover {
  code: string;
  x: number;
  y: number;
}

/**
 * Countries shaded by visitors for the current view (range and filters), hover for the numbers,
 * click to filter. The same numbers are in the Countries tab as a list, which is what keyboard and
 * screen-reader users get; the map itself is one labelled image.
 */
export function WorldMap({
  domain,
  state,
  update,
}: {
  domain: string;
  state: DashboardState;
  update: (patch: Partial<DashboardState>) => void;
}) {
  const query = useStatsQuery({
    site_id: domain,
    metrics: ['visitors'],
    date_range: toDateRange(state),
    dimensions: ['visit:country'],
    filters: state.filters,
    order_by: [['visitors', 'desc']],
    pagination: { limit: 300 },
  });
  const [hover, setHover] = useState<Hover | null>(null);
  const shapes = useMemo(() => worldShapes(), []);
  const visitors = useMemo(() => {
    const byCode = new Map<string, number>();
    for (const row of query.data?.results ?? [])
      byCode.set(String(row.dimensions[0] ?? ''), row.metrics[0] ?? 0);
    return byCode;
  }, [query.data]);

  if (query.isPending) return <LoadingState rows={6} label="Loading the map" />;
  if (query.isError && !query.data)
    return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;

  const max = Math.max(0, ...visitors.values());
  const shade = (n: number) => {
    if (n <= 0 || max <= 0) return undefined;
    // Square-root scale: one big country does not wash every other one out.
    const step = Math.min(SHADES.length - 1, Math.floor(Math.sqrt(n / max) * SHADES.length));
    return `color-mix(in srgb, var(--accent) ${SHADES[step]}%, var(--surface-2))`;
  };
  const onMove = (event: MouseEvent<SVGPathElement>, code: string) => {
    const box = event.currentTarget.ownerSVGElement?.getBoundingClientRect();
    if (!box) return;
    setHover({ code, x: event.clientX - box.left, y: event.clientY - box.top });
  };
  const shaded = [...visitors.values()].filter((n) => n > 0).length;

  return (
    <div className="world-map" data-testid="world-map" onMouseLeave={() => setHover(null)}>
      <svg
        viewBox={`0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`}
        role="img"
        aria-label={`World map of visitors by country: ${shaded} ${shaded === 1 ? 'country' : 'countries'} with visitors. The Countries tab lists the numbers.`}
      >
        {shapes.map((s, i) => {
          const n = visitors.get(s.code) ?? 0;
          return (
            <path
              key={`${s.code}-${i}`}
              d={s.path}
              className={n > 0 ? 'world-map-country has-visitors' : 'world-map-country'}
              style={{ fill: shade(n) }}
              data-country={s.code}
              data-visitors={n}
              onMouseMove={(e) => (s.code ? onMove(e, s.code) : undefined)}
              onClick={() =>
                n > 0 ? update({ filters: addFilter(state.filters, 'visit:country', s.code) }) : undefined
              }
            />
          );
        })}
      </svg>
      {hover ? (
        <div
          className="world-map-tooltip"
          role="status"
          style={{ left: hover.x, top: hover.y }}
          data-testid="world-map-tooltip"
        >
          <strong>{countryName(hover.code)}</strong>
          <span>
            {formatMetric('visitors', visitors.get(hover.code) ?? 0)}{' '}
            {(visitors.get(hover.code) ?? 0) === 1 ? 'visitor' : 'visitors'}
          </span>
        </div>
      ) : null}
      <div className="world-map-legend" aria-hidden="true">
        <span>0</span>
        {SHADES.map((s) => (
          <span
            key={s}
            className="world-map-swatch"
            style={{ background: `color-mix(in srgb, var(--accent) ${s}%, var(--surface-2))` }}
          />
        ))}
        <span>{formatMetric('visitors', max)}</span>
      </div>
    </div>
  );
}
