'use client';

import Link from 'next/link';
import { useId, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { toDateRange, type DashboardState } from '@/lib/dashboard-params';
import { useFunnelResultQuery, useFunnelsQuery, type FunnelStepResult } from '@/lib/queries/funnels';
import { useStatsRoutes } from '@/lib/stats-endpoint';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { usePlanFeature } from '@/components/plan-feature';
import { ApiError } from '@/lib/api-client';
import { useSiteQuery } from '@/lib/queries/sites';
import { funnelCsv, funnelFileName } from './funnel-export';

const ACCENT = '#6f6fe8';
const ACCENT_FADED = '#b4b4f3';
/** Tighter than the default table so four columns fit a phone. */
const CELL = { padding: '8px 6px' } as const;
const NUMBER_CELL = { ...CELL, textAlign: 'right', whiteSpace: 'nowrap' } as const;

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

function formatPercent(n: number): string {
  return `${Number.isInteger(n) ? n : n.toFixed(1)}%`;
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A site's funnels over the dashboard's period and filters: pick one, see visitors and drop-off per
 * step. Members get links to edit them; a shared view only reads.
 */
export function FunnelsPanel({ domain, state }: { domain: string; state: DashboardState }) {
  const { editable } = useStatsRoutes();
  const titleId = useId();
  const selectId = useId();
  const funnels = useFunnelsQuery(domain);
  const [chosen, setChosen] = useState<string | null>(null);
  const list = funnels.data ?? [];
  const selected = list.find((f) => f.id === chosen) ?? list[0] ?? null;
  const settingsHref = `/sites/${encodeURIComponent(domain)}/settings#funnels`;
  // Members see the upgrade note when the org's plan has no funnels (stored ones are not computed).
  const site = useSiteQuery(domain, { enabled: editable });
  const gate = usePlanFeature(editable ? site.data?.orgId : undefined, 'funnels');

  return (
    <section
      className="card panel"
      aria-labelledby={titleId}
      data-testid="funnels-panel"
      style={{ marginTop: 16 }}
    >
      <div className="panel-head">
        <h2 id={titleId}>Funnels</h2>
        <span className="spacer" />
        {list.length > 0 ? (
          <>
            <label className="visually-hidden" htmlFor={selectId}>
              Funnel
            </label>
            <select
              id={selectId}
              className="select select-inline"
              value={selected?.id ?? ''}
              onChange={(e) => setChosen(e.target.value)}
            >
              {list.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </>
        ) : null}
        {editable ? (
          <Link className="btn btn-ghost btn-sm" href={settingsHref}>
            {list.length > 0 ? 'Edit funnels' : 'Set up'}
          </Link>
        ) : null}
      </div>
      {gate.included === false ? (
        gate.note
      ) : funnels.isPending ? (
        <LoadingState rows={4} label="Loading funnels" />
      ) : funnels.isError ? (
        <ErrorState error={funnels.error} onRetry={() => void funnels.refetch()} />
      ) : !selected ? (
        <EmptyState
          title="No funnels yet"
          action={
            editable ? (
              <Link className="btn btn-sm btn-primary" href={settingsHref}>
                Create a funnel
              </Link>
            ) : undefined
          }
        >
          Follow visitors through 2 to 8 steps, such as <code>/</code> → <code>/pricing</code> → Signup, and
          see where they drop off.
        </EmptyState>
      ) : (
        <FunnelView domain={domain} state={state} id={selected.id} name={selected.name} />
      )}
    </section>
  );
}

function FunnelView({
  domain,
  state,
  id,
  name,
}: {
  domain: string;
  state: DashboardState;
  id: string;
  name: string;
}) {
  const result = useFunnelResultQuery(domain, id, { date_range: toDateRange(state), filters: state.filters });
  if (result.isPending) return <LoadingState rows={4} label={`Loading ${name}`} />;
  if (result.isError && !result.data)
    return result.error instanceof ApiError && result.error.code === 'feature_not_in_plan' ? (
      <p className="notice notice-upgrade" role="note">
        {result.error.message}
      </p>
    ) : (
      <ErrorState error={result.error} onRetry={() => void result.refetch()} />
    );
  const data = result.data;
  const steps = data.steps;
  const last = steps[steps.length - 1];
  const points = steps.map((s, i) => ({ ...s, name: `${i + 1}. ${s.label}` }));

  return (
    <div className="stack" style={{ opacity: result.isPlaceholderData ? 0.6 : 1 }}>
      <p className="small muted" data-testid="funnel-summary">
        {formatCount(data.entering_visitors)} of {formatCount(data.all_visitors)} visitors entered;{' '}
        <strong style={{ color: 'var(--text)' }}>{formatPercent(last?.conversion_rate ?? 0)}</strong>{' '}
        converted to the last step.
      </p>
      {data.entering_visitors === 0 ? (
        <EmptyState title="Nobody entered this funnel in this period">
          Pick a longer date range, or check the first step&apos;s pattern.
        </EmptyState>
      ) : (
        <div
          className="chart-area"
          style={{ height: Math.max(160, steps.length * 48 + 30), padding: 0 }}
          role="img"
          aria-label={`${name}: ${steps.map((s) => `${s.label} ${s.visitors} visitors`).join(', ')}`}
        >
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={points} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 4 }}>
              <CartesianGrid horizontal={false} strokeDasharray="3 3" />
              <XAxis type="number" allowDecimals={false} tickLine={false} axisLine={false} />
              <YAxis
                type="category"
                dataKey="name"
                width={150}
                tickLine={false}
                axisLine={false}
                tickFormatter={(v: string) => (v.length > 22 ? `${v.slice(0, 21)}…` : v)}
              />
              <Tooltip
                cursor={{ fill: 'var(--accent-soft)' }}
                content={({ active, payload }) => {
                  const p = payload?.[0]?.payload as (FunnelStepResult & { name: string }) | undefined;
                  if (!active || !p) return null;
                  return (
                    <div className="chart-tooltip">
                      <div className="chart-tooltip-row">
                        <span>{p.name}</span>
                        <strong>{formatCount(p.visitors)}</strong>
                      </div>
                      <div className="chart-tooltip-row muted">
                        <span>Conversion</span>
                        <span>{formatPercent(p.conversion_rate)}</span>
                      </div>
                      <div className="chart-tooltip-row muted">
                        <span>Dropped off</span>
                        <span>
                          {formatCount(p.dropoff)} ({formatPercent(p.dropoff_percentage)})
                        </span>
                      </div>
                    </div>
                  );
                }}
              />
              <Bar dataKey="visitors" isAnimationActive={false} radius={[0, 4, 4, 0]}>
                {points.map((p, i) => (
                  <Cell key={p.name} fill={i === 0 ? ACCENT : ACCENT_FADED} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      <div className="table-wrap">
        <table className="table" data-testid="funnel-table" style={{ fontSize: '0.85rem' }}>
          <caption className="visually-hidden">{name}: visitors, conversion and drop-off per step</caption>
          <thead>
            <tr>
              <th scope="col" style={CELL}>
                Step
              </th>
              <th scope="col" style={NUMBER_CELL}>
                Visitors
              </th>
              <th scope="col" style={NUMBER_CELL}>
                <abbr title="Conversion rate from the first step">CR</abbr>
              </th>
              <th scope="col" style={NUMBER_CELL}>
                Drop-off
              </th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s, i) => (
              <tr key={`${i}-${s.label}`} data-testid="funnel-step">
                <td style={{ ...CELL, overflowWrap: 'anywhere', minWidth: 80 }}>
                  {i + 1}. {s.label}
                </td>
                <td style={NUMBER_CELL} data-metric="visitors">
                  {formatCount(s.visitors)}
                </td>
                <td style={NUMBER_CELL} data-metric="conversion_rate">
                  {formatPercent(s.conversion_rate)}
                </td>
                <td style={NUMBER_CELL} data-metric="dropoff">
                  {i === 0 ? '—' : `${formatCount(s.dropoff)} (${formatPercent(s.dropoff_percentage)})`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="panel-foot">
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => download(funnelFileName(name), funnelCsv(steps))}
        >
          Download CSV
        </button>
      </div>
    </div>
  );
}
