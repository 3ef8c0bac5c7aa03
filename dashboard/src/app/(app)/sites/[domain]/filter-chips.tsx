'use client';

import { FILTER_OPERATOR_LABELS, filterDimensionLabel, sameFilter } from '@/lib/dashboard-params';
import { countryName } from '@/lib/format';
import type { Filter } from '@/lib/query-types';
import { displayValue } from './dimension-labels';

function describe(filter: Filter): string {
  const [op, dimension, values] = filter;
  const raw = values[0] ?? '';
  const value = dimension === 'visit:country' ? countryName(raw) : displayValue(dimension, raw);
  return `${filterDimensionLabel(dimension)} ${FILTER_OPERATOR_LABELS[op]} ${value}`;
}

export function FilterChips({
  filters,
  onChange,
}: {
  filters: Filter[];
  onChange: (filters: Filter[]) => void;
}) {
  if (filters.length === 0) return null;
  return (
    <div className="filters-bar" aria-label="Active filters">
      {filters.map((filter) => {
        const text = describe(filter);
        return (
          <span
            key={`${filter[0]}|${filter[1]}|${filter[2][0] ?? ''}`}
            className="chip"
            data-testid="filter-chip"
          >
            <span className="chip-text" title={text}>
              {text}
            </span>
            <button
              type="button"
              className="chip-remove"
              aria-label={`Remove filter: ${text}`}
              onClick={() => onChange(filters.filter((f) => !sameFilter(f, filter)))}
            >
              ×
            </button>
          </span>
        );
      })}
      {filters.length > 1 ? (
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => onChange([])}>
          Clear all
        </button>
      ) : null}
    </div>
  );
}
