'use client';

import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { addFilter, hasGoalFilter, toDateRange, type DashboardState } from '@/lib/dashboard-params';
import { CountryFlag } from '@/components/country-flag';
import { countryName, formatMetric } from '@/lib/format';
import { useSiteCurrency } from '@/lib/queries/sites';
import { useStatsQuery } from '@/lib/queries/stats';
import type { EventDimension, Filter, Metric, PropsDimension, VisitDimension } from '@/lib/query-types';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { displayValue } from './dimension-labels';
import { GoalProperties } from './goal-properties';
import { WorldMap } from './world-map';

export interface BreakdownTab {
  key: string;
  /** Tab label. */
  label: string;
  /** Column header above the rows. */
  column: string;
  dimension: EventDimension | VisitDimension | PropsDimension;
  /** Filters this tab always adds (e.g. goals exclude pageviews). */
  extraFilters?: Filter[];
  /** Value columns; the first sizes the bars. Default: visitors (conversions and CR under a goal filter). */
  columns?: BreakdownColumn[];
  /** `map`: a world map of the (country) dimension; `properties`: a goal's custom properties. */
  view?: 'list' | 'map' | 'properties';
  /** Pages: also scroll depth and time on page (from engagement pings), unless a goal filter is set. */
  engagement?: boolean;
}

export interface BreakdownColumn {
  metric: Metric;
  label: string;
  /** Shown only when some row has a value (revenue columns appear for revenue goals only). */
  optional?: boolean;
}

const VISITOR_COLUMNS: BreakdownColumn[] = [{ metric: 'visitors', label: 'Visitors' }];
const PAGE_COLUMNS: BreakdownColumn[] = [
  ...VISITOR_COLUMNS,
  { metric: 'scroll_depth', label: 'Scroll' },
  { metric: 'time_on_page', label: 'Time' },
];
/** With a goal filter every row counts converted visitors, and CR is the row's own rate (as in Plausible). */
const GOAL_FILTER_COLUMNS: BreakdownColumn[] = [
  { metric: 'visitors', label: 'Conversions' },
  { metric: 'group_conversion_rate', label: 'CR' },
];

const COLLAPSED = 9;
const EXPANDED = 50;

/** A card with tabs; each tab is a top-N breakdown whose rows add a filter when clicked. */
export function BreakdownPanel({
  title,
  tabs,
  domain,
  state,
  update,
}: {
  title: string;
  tabs: BreakdownTab[];
  domain: string;
  state: DashboardState;
  update: (patch: Partial<DashboardState>) => void;
}) {
  const baseId = useId();
  const [activeKey, setActiveKey] = useState(tabs[0]?.key ?? '');
  const [expanded, setExpanded] = useState(false);
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const active = tabs.find((t) => t.key === activeKey) ?? tabs[0];

  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation).
  const onTabKeyDown = (event: KeyboardEvent, index: number) => {
    let next = -1;
    if (event.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    event.preventDefault();
    const tab = tabs[next];
    if (!tab) return;
    setActiveKey(tab.key);
    setExpanded(false);
    tabRefs.current[next]?.focus();
  };

  if (!active) return null;
  const panelId = `${baseId}-panel`;

  return (
    <section className="card panel" aria-labelledby={`${baseId}-title`}>
      <div className="panel-head">
        <h2 id={`${baseId}-title`}>{title}</h2>
        {tabs.length > 1 ? (
          <div className="tabs" role="tablist" aria-label={`${title} breakdowns`}>
            {tabs.map((tab, index) => (
              <button
                key={tab.key}
                ref={(el) => {
                  tabRefs.current[index] = el;
                }}
                id={`${baseId}-tab-${tab.key}`}
                type="button"
                role="tab"
                className="tab"
                aria-selected={tab.key === active.key}
                aria-controls={panelId}
                tabIndex={tab.key === active.key ? 0 : -1}
                onClick={() => {
                  setActiveKey(tab.key);
                  setExpanded(false);
                }}
                onKeyDown={(e) => onTabKeyDown(e, index)}
              >
                {tab.label}
              </button>
            ))}
          </div>
        ) : null}
      </div>
      <div
        id={panelId}
        role={tabs.length > 1 ? 'tabpanel' : undefined}
        aria-labelledby={tabs.length > 1 ? `${baseId}-tab-${active.key}` : undefined}
        className="stack-sm"
        style={{ flex: 1, display: 'flex' }}
      >
        {active.view === 'map' ? (
          <WorldMap domain={domain} state={state} update={update} />
        ) : active.view === 'properties' ? (
          <GoalProperties domain={domain} state={state} update={update} />
        ) : (
          <BreakdownList
            key={active.key}
            tab={active}
            domain={domain}
            state={state}
            limit={expanded ? EXPANDED : COLLAPSED}
            onExpand={() => setExpanded((v) => !v)}
            expanded={expanded}
            onFilter={(value) => update({ filters: addFilter(state.filters, active.dimension, value) })}
          />
        )}
      </div>
    </section>
  );
}

/** The top rows of one breakdown; clicking a row calls onFilter with its value. */
export function BreakdownList({
  tab,
  domain,
  state,
  limit,
  expanded,
  onExpand,
  onFilter,
  emptyTitle,
}: {
  tab: BreakdownTab;
  domain: string;
  state: Pick<DashboardState, 'period' | 'from' | 'to' | 'filters'>;
  limit: number;
  expanded: boolean;
  onExpand: () => void;
  onFilter: (value: string) => void;
  emptyTitle?: string;
}) {
  const requested =
    tab.columns ??
    (hasGoalFilter(state.filters) ? GOAL_FILTER_COLUMNS : tab.engagement ? PAGE_COLUMNS : VISITOR_COLUMNS);
  // Revenue is reported in the site's currency.
  const currency = useSiteCurrency(domain);
  const query = useStatsQuery({
    site_id: domain,
    metrics: requested.map((c) => c.metric),
    date_range: toDateRange(state),
    dimensions: [tab.dimension],
    filters: [...state.filters, ...(tab.extraFilters ?? [])],
    order_by: [['visitors', 'desc']],
    // One extra row tells whether "Show more" has anything to show.
    pagination: { limit: limit + 1 },
  });

  if (query.isPending) return <LoadingState rows={6} label={`Loading ${tab.label}`} />;
  if (query.isError && !query.data) {
    return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  }

  const rows = query.data.results.slice(0, limit);
  const hasMore = query.data.results.length > limit;
  if (rows.length === 0) {
    return (
      <EmptyState
        title={
          emptyTitle ??
          (tab.dimension === 'event:name'
            ? 'No custom events in this period'
            : 'No visitors yet in this period')
        }
      />
    );
  }
  // Each shown column with the index of its metric in the response.
  const columns = requested
    .map((c, index) => ({ ...c, index }))
    .filter((c) => !c.optional || rows.some((r) => (r.metrics[c.index] ?? 0) !== 0));
  const max = Math.max(1, ...rows.map((r) => r.metrics[0] ?? 0));

  return (
    <div
      className="stack-sm"
      style={{ flex: 1, display: 'flex', opacity: query.isPlaceholderData ? 0.6 : 1 }}
    >
      <div className="breakdown-head">
        <span className="breakdown-head-label">{tab.column}</span>
        {columns.map((c) => (
          <span key={c.metric} className="breakdown-head-value">
            {c.label}
          </span>
        ))}
      </div>
      <ul className="breakdown-list" style={expanded ? { maxHeight: 420, overflowY: 'auto' } : undefined}>
        {rows.map((row) => {
          const value = String(row.dimensions[0] ?? '');
          const visitors = row.metrics[0] ?? 0;
          const label =
            tab.dimension === 'visit:country' ? countryName(value) : displayValue(tab.dimension, value);
          return (
            <li key={value}>
              <button
                type="button"
                className="breakdown-row"
                data-testid="breakdown-row"
                data-dimension={value}
                onClick={() => onFilter(value)}
                title={`Filter by ${tab.column.toLowerCase()}: ${label}`}
              >
                <span className="breakdown-label">
                  <span
                    className="breakdown-bar"
                    style={{ width: `${(visitors / max) * 100}%` }}
                    aria-hidden="true"
                  />
                  {tab.dimension === 'visit:country' ? <CountryFlag code={value} /> : null}
                  <span className="breakdown-text">{label}</span>
                </span>
                {columns.map((c) => (
                  <span key={c.metric} className="breakdown-value" data-metric={c.metric}>
                    {formatMetric(c.metric, row.metrics[c.index], currency)}
                  </span>
                ))}
              </button>
            </li>
          );
        })}
      </ul>
      {hasMore || expanded ? (
        <div className="panel-foot">
          <button type="button" className="btn btn-ghost btn-sm" onClick={onExpand}>
            {expanded ? 'Show less' : 'Show more'}
          </button>
        </div>
      ) : null}
    </div>
  );
}
