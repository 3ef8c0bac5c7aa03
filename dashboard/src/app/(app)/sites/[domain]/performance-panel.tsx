'use client';

import { useId, useState } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  VITAL_METRICS,
  VITAL_THRESHOLDS,
  vitalBand,
  type VitalBand,
  type VitalMetric,
} from '@sightline/query/src/vitals-thresholds';
import type { VitalsResponse, VitalSummary } from '@sightline/query/src/vitals-contract';
import { toDateRange, type DashboardState } from '@/lib/dashboard-params';
import { formatBucket, formatBucketLong } from '@/lib/format';
import { useVitalsQuery } from '@/lib/queries/vitals';
import { BAND_LABELS, formatVital, splitVitalFilters, thresholdText, VITAL_NAMES } from '@/lib/vitals-format';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import styles from './performance-panel.module.css';

const BAND_CLASS: Record<VitalBand, string | undefined> = {
  good: styles.good,
  needs_improvement: styles.ni,
  poor: styles.poor,
};

/**
 * Web vitals of the site (from the tracker's vitals extension): p75 per metric with its band,
 * the share of page loads per band, the daily p75 trend of one metric, and the slowest pages.
 * Filters on page, host, country, device, browser and OS apply; others cannot (a vitals row has no
 * source or goal), and the panel says so.
 */
export function PerformancePanel({ domain, state }: { domain: string; state: DashboardState }) {
  const titleId = useId();
  const { applied, ignored } = splitVitalFilters(state.filters);
  const query = useVitalsQuery({ site_id: domain, date_range: toDateRange(state), filters: applied });
  const data = query.data;
  const loads = data ? Math.max(...data.summary.map((s) => s.samples)) : 0;

  return (
    <section className={`card ${styles.panel}`} aria-labelledby={titleId}>
      <div className={styles.head}>
        <h2 id={titleId} className="card-title">
          Performance
        </h2>
        <span className="small muted">
          Web vitals at the 75th percentile
          {data && loads > 0 ? ` · ${loads.toLocaleString()} page loads` : ''}
        </span>
      </div>
      {ignored.length > 0 ? (
        <p className="small muted">
          Filters on {[...new Set(ignored.map((f) => f[1].split(':')[1]))].join(', ')} do not apply to web
          vitals.
        </p>
      ) : null}
      {query.isPending ? (
        <LoadingState label="Loading web vitals…" />
      ) : query.isError && !data ? (
        <ErrorState
          error={query.error}
          onRetry={() => void query.refetch()}
          title="Could not load web vitals"
        />
      ) : !data || loads === 0 ? (
        <EmptyState title="No web vitals in this period">
          Load <code>/js/script.vitals.js</code> (or <code>/js/script.engagement.vitals.js</code>, with time
          on page and scroll depth too) instead of <code>/js/script.js</code>, same attributes, to measure
          LCP, INP, CLS, FCP and TTFB of every page load.
        </EmptyState>
      ) : (
        <VitalsBody data={data} state={state} />
      )}
    </section>
  );
}

function VitalsBody({ data, state }: { data: VitalsResponse; state: DashboardState }) {
  return (
    <>
      <ul className={styles.tiles}>
        {data.summary.map((s) => (
          <MetricTile key={s.metric} summary={s} />
        ))}
      </ul>
      <div className={styles.lower}>
        <TrendChart data={data} state={state} />
        <SlowestPages data={data} />
      </div>
    </>
  );
}

function percent(part: number, total: number): number {
  return total > 0 ? Math.round((part / total) * 100) : 0;
}

function MetricTile({ summary: s }: { summary: VitalSummary }) {
  const name = VITAL_NAMES[s.metric];
  const shares = {
    good: percent(s.good, s.samples),
    needs_improvement: percent(s.needs_improvement, s.samples),
    poor: percent(s.poor, s.samples),
  };
  return (
    <li className={styles.tile}>
      <div className={styles.tileHead}>
        <abbr title={name.long} className={styles.metricName}>
          {name.short}
        </abbr>
        {s.band ? (
          <span className={`${styles.badge} ${BAND_CLASS[s.band]}`}>
            <span className={styles.dot} aria-hidden="true" />
            {BAND_LABELS[s.band]}
          </span>
        ) : null}
      </div>
      <p className={`${styles.value} ${s.band ? BAND_CLASS[s.band] : ''}`}>{formatVital(s.metric, s.p75)}</p>
      {s.samples > 0 ? (
        <>
          <div
            className={styles.bar}
            role="img"
            aria-label={`${name.short}: ${shares.good}% good, ${shares.needs_improvement}% needs improvement, ${shares.poor}% poor of ${s.samples} page loads`}
          >
            {(['good', 'needs_improvement', 'poor'] as const).map((band) =>
              s[band] > 0 ? (
                <span
                  key={band}
                  className={`${styles.segment} ${BAND_CLASS[band]}`}
                  style={{ flexGrow: s[band] }}
                />
              ) : null,
            )}
          </div>
          <p className={`small muted ${styles.shares}`} aria-hidden="true">
            {shares.good}% · {shares.needs_improvement}% · {shares.poor}%
          </p>
        </>
      ) : (
        <p className="small muted">Not measured</p>
      )}
      <p className={`small muted ${styles.threshold}`}>{thresholdText(s.metric)}</p>
    </li>
  );
}

function TrendChart({ data, state }: { data: VitalsResponse; state: DashboardState }) {
  const [metric, setMetric] = useState<VitalMetric>('lcp');
  const groupId = useId();
  const t = VITAL_THRESHOLDS[metric];
  const points = data.trend.map((d) => ({ date: d.date, value: d[metric] }));
  return (
    <div className={styles.trend}>
      <div className={styles.trendHead}>
        <h3 id={groupId} className="small" style={{ fontWeight: 600 }}>
          p75 per day
        </h3>
        <div className={styles.switch} role="group" aria-labelledby={groupId}>
          {VITAL_METRICS.map((m) => (
            <button
              key={m}
              type="button"
              className={styles.switchButton}
              aria-pressed={m === metric}
              onClick={() => setMetric(m)}
            >
              {VITAL_NAMES[m].short}
            </button>
          ))}
        </div>
      </div>
      <div className={styles.chart}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 4 }}>
            <CartesianGrid vertical={false} strokeDasharray="3 3" />
            <XAxis
              dataKey="date"
              tickFormatter={(d: string) => formatBucket(d, 'day')}
              tickLine={false}
              axisLine={false}
              minTickGap={24}
              tickMargin={8}
            />
            <YAxis
              tickFormatter={(v: number) => formatVital(metric, v)}
              tickLine={false}
              axisLine={false}
              width={64}
              domain={[0, (max: number) => Math.max(max, t.poor) * 1.1]}
            />
            <ReferenceLine y={t.good} stroke="var(--vital-good)" strokeDasharray="4 4" />
            <ReferenceLine y={t.poor} stroke="var(--vital-poor)" strokeDasharray="4 4" />
            <Tooltip
              cursor={{ stroke: 'var(--border-strong)' }}
              content={({ active, payload }) => {
                const point = payload?.[0]?.payload as { date: string; value: number | null } | undefined;
                if (!active || !point) return null;
                return (
                  <div className="chart-tooltip">
                    <div className="chart-tooltip-row">
                      <span>{formatBucketLong(point.date, 'day')}</span>
                      <strong>
                        {VITAL_NAMES[metric].short} {formatVital(metric, point.value)}
                      </strong>
                    </div>
                  </div>
                );
              }}
            />
            <Line
              type="monotone"
              dataKey="value"
              stroke="var(--accent)"
              strokeWidth={2}
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <p className="small muted">
        Dashed lines: {thresholdText(metric)}. {state.period === 'day' ? 'One point for today.' : ''}
      </p>
    </div>
  );
}

function SlowestPages({ data }: { data: VitalsResponse }) {
  const columns: VitalMetric[] = ['lcp', 'inp', 'cls'];
  return (
    <div className={styles.pages}>
      <h3 className="small" style={{ fontWeight: 600 }}>
        Slowest pages
      </h3>
      <div className="table-wrap">
        <table className={`table ${styles.pagesTable}`}>
          <caption className="visually-hidden">Slowest pages by LCP at the 75th percentile</caption>
          <thead>
            <tr>
              <th scope="col">Page</th>
              <th scope="col" className={styles.num}>
                Loads
              </th>
              {columns.map((m) => (
                <th key={m} scope="col" className={styles.num}>
                  <abbr title={VITAL_NAMES[m].long}>{VITAL_NAMES[m].short}</abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.pages.map((p) => (
              <tr key={p.page}>
                <td className={styles.pagePath} title={p.page}>
                  {p.page}
                </td>
                <td className={styles.num}>{p.samples.toLocaleString()}</td>
                {columns.map((m) => (
                  <td key={m} className={styles.num}>
                    <BandValue metric={m} value={p[m]} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function BandValue({ metric, value }: { metric: VitalMetric; value: number | null }) {
  if (value === null) return <span className="muted">—</span>;
  const band = vitalBand(metric, value);
  return (
    <span className={BAND_CLASS[band]}>
      {formatVital(metric, value)}
      <span className="visually-hidden"> ({BAND_LABELS[band]})</span>
    </span>
  );
}
