'use client';

import { useId, useState } from 'react';
import { setFilter, toDateRange, type DashboardState } from '@/lib/dashboard-params';
import { usePropertyKeysQuery, useStatsQuery } from '@/lib/queries/stats';
import type { Filter, PropsDimension } from '@/lib/query-types';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { BreakdownList, type BreakdownTab } from './breakdown-panel';

const COLLAPSED = 9;
const EXPANDED = 50;

/** The goal a filter already picks (`event:goal is X` or `event:name is X`), if any. */
function filteredGoal(filters: Filter[]): string | null {
  const goal = filters.find(([op, d]) => op === 'is' && (d === 'event:goal' || d === 'event:name'));
  return goal?.[2][0] ?? null;
}

/** Every filter except those choosing a goal: the panel sets the goal itself. */
function withoutGoal(filters: Filter[]): Filter[] {
  return filters.filter(([, d]) => d !== 'event:goal' && d !== 'event:name');
}

/**
 * The Goals card's "Properties" tab: pick a goal, then one of the property keys its events carry, and
 * see the key's values with unique visitors, events, conversion rate (of all visitors) and, for a
 * revenue goal, revenue. A value row filters the dashboard by the goal and the value.
 */
export function GoalProperties({
  domain,
  state,
  update,
}: {
  domain: string;
  state: DashboardState;
  update: (patch: Partial<DashboardState>) => void;
}) {
  const id = useId();
  const [pickedGoal, setPickedGoal] = useState<string | null>(null);
  const [pickedKey, setPickedKey] = useState<string | null>(null);
  const [expanded, setExpanded] = useState(false);
  const dateRange = toDateRange(state);
  const baseFilters = withoutGoal(state.filters);

  const goals = useStatsQuery({
    site_id: domain,
    metrics: ['visitors'],
    date_range: dateRange,
    dimensions: ['event:name'],
    filters: [...baseFilters, ['is_not', 'event:name', ['pageview']]],
    pagination: { limit: 50 },
  });
  const goalNames = (goals.data?.results ?? []).map((r) => String(r.dimensions[0] ?? ''));
  const goal =
    [pickedGoal, filteredGoal(state.filters)].find((g): g is string => g !== null && goalNames.includes(g)) ??
    goalNames[0] ??
    null;
  const goalFilter: Filter | null = goal === null ? null : ['is', 'event:goal', [goal]];

  const keys = usePropertyKeysQuery(
    {
      site_id: domain,
      date_range: dateRange,
      filters: [...baseFilters, ...(goalFilter ? [goalFilter] : [])],
    },
    { enabled: goal !== null },
  );
  const keyNames = (keys.data?.results ?? []).map((k) => k.key);
  const key = (pickedKey !== null && keyNames.includes(pickedKey) ? pickedKey : keyNames[0]) ?? null;

  if (goals.isPending) return <LoadingState rows={6} label="Loading goals" />;
  if (goals.isError && !goals.data)
    return <ErrorState error={goals.error} onRetry={() => void goals.refetch()} />;
  if (goal === null || goalFilter === null) return <EmptyState title="No custom events in this period" />;

  const dimension: PropsDimension = `event:props:${key ?? ''}`;
  const tab: BreakdownTab = {
    key: `props-${goal}-${key ?? ''}`,
    label: key ?? 'Properties',
    column: key ?? 'Value',
    dimension,
    columns: [
      { metric: 'visitors', label: 'Uniques' },
      { metric: 'events', label: 'Total' },
      { metric: 'conversion_rate', label: 'CR' },
      { metric: 'total_revenue', label: 'Revenue', optional: true },
      { metric: 'average_revenue', label: 'Average', optional: true },
    ],
  };

  return (
    <div className="stack-sm goal-properties" style={{ flex: 1, display: 'flex' }}>
      <div className="goal-properties-pickers">
        <label className="goal-properties-picker">
          <span className="label">Goal</span>
          <select
            id={`${id}-goal`}
            className="select select-inline"
            value={goal}
            onChange={(e) => {
              setPickedGoal(e.target.value);
              setPickedKey(null);
              setExpanded(false);
            }}
          >
            {goalNames.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </label>
        {keyNames.length > 0 && key !== null ? (
          <label className="goal-properties-picker">
            <span className="label">Property</span>
            <select
              id={`${id}-key`}
              className="select select-inline"
              value={key}
              onChange={(e) => {
                setPickedKey(e.target.value);
                setExpanded(false);
              }}
            >
              {keyNames.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {keys.isPending ? (
        <LoadingState rows={4} label="Loading properties" />
      ) : keys.isError && !keys.data ? (
        <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />
      ) : key === null ? (
        <EmptyState title={`${goal} has no properties in this period`} />
      ) : (
        <BreakdownList
          key={tab.key}
          tab={tab}
          domain={domain}
          state={{ ...state, filters: [...baseFilters, goalFilter] }}
          limit={expanded ? EXPANDED : COLLAPSED}
          expanded={expanded}
          onExpand={() => setExpanded((v) => !v)}
          emptyTitle={`No ${key} values in this period`}
          onFilter={(value) =>
            update({
              filters: setFilter(setFilter(baseFilters, goalFilter), ['is', dimension, [value]]),
            })
          }
        />
      )}
    </div>
  );
}
