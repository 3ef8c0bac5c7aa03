'use client';

import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { TextField } from '@/components/field';
import {
  FILTER_DIMENSIONS,
  FILTER_OPERATOR_LABELS,
  setFilter,
  toDateRange,
  type DashboardState,
  type FilterDimension,
} from '@/lib/dashboard-params';
import { countryName } from '@/lib/format';
import { useStatsQuery } from '@/lib/queries/stats';
import type { Dimension, Filter, FilterOperator } from '@/lib/query-types';

const DIMENSION_OPTIONS = Object.entries(FILTER_DIMENSIONS) as [FilterDimension, string][];
const OPERATOR_OPTIONS = Object.entries(FILTER_OPERATOR_LABELS) as [FilterOperator, string][];
const SUGGESTIONS = 100;

/**
 * "Filter" in the dashboard toolbar: any dimension, any operator (is, is not, contains, does not
 * contain), with the period's most common values as suggestions. Row clicks cover the common case;
 * this covers the rest (a page prefix, a campaign that is not in the top rows, excluding a source).
 */
export function FilterDialogButton({
  domain,
  state,
  onChange,
}: {
  domain: string;
  state: DashboardState;
  onChange: (filters: Filter[]) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [dimension, setDimension] = useState<FilterDimension>('event:page');
  const [operator, setOperator] = useState<FilterOperator>('is');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>();

  // Goals are custom event names (or "Visit /path"); suggest the event names.
  const suggestionDimension: Dimension = dimension === 'event:goal' ? 'event:name' : dimension;
  const suggestions = useStatsQuery(
    {
      site_id: domain,
      metrics: ['visitors'],
      date_range: toDateRange(state),
      dimensions: [suggestionDimension],
      // Other filters still apply, so suggestions are values that can match; not this dimension's own.
      filters: state.filters.filter((f) => f[1] !== dimension),
      order_by: [['visitors', 'desc']],
      pagination: { limit: SUGGESTIONS },
    },
    { enabled: open },
  );
  const values = useMemo(
    () =>
      (suggestions.data?.results ?? [])
        .map((row) => String(row.dimensions[0] ?? ''))
        .filter((v) => v !== '' && v !== 'pageview'),
    [suggestions.data],
  );

  const show = () => {
    setValue('');
    setError(undefined);
    setOpen(true);
    ref.current?.showModal();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = value.trim();
    if (!trimmed) {
      setError('Enter a value to filter by');
      return;
    }
    onChange(setFilter(state.filters, [operator, dimension, [trimmed]]));
    ref.current?.close();
  };

  return (
    <>
      <button type="button" className="btn btn-sm" onClick={show} aria-haspopup="dialog">
        Filter
      </button>
      <dialog
        ref={ref}
        className="dialog"
        aria-labelledby={titleId}
        onClose={() => setOpen(false)}
        onClick={(event) => {
          if (event.target === event.currentTarget) event.currentTarget.close();
        }}
      >
        <form className="stack" onSubmit={submit} noValidate>
          <h2 id={titleId}>Filter</h2>
          <div className="form-row">
            <div className="field">
              <label className="label" htmlFor={`${titleId}-dimension`}>
                Dimension
              </label>
              <select
                id={`${titleId}-dimension`}
                className="select"
                value={dimension}
                onChange={(e) => setDimension(e.target.value as FilterDimension)}
              >
                {DIMENSION_OPTIONS.map(([key, label]) => (
                  <option key={key} value={key}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label className="label" htmlFor={`${titleId}-operator`}>
                Condition
              </label>
              <select
                id={`${titleId}-operator`}
                className="select"
                value={operator}
                onChange={(e) => setOperator(e.target.value as FilterOperator)}
              >
                {OPERATOR_OPTIONS.map(([key, label]) => (
                  <option key={key} value={key}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <TextField
            label="Value"
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              setError(undefined);
            }}
            error={error}
            list={listId}
            autoComplete="off"
            maxLength={2000}
            hint={
              dimension === 'event:page' ||
              dimension === 'visit:entry_page' ||
              dimension === 'visit:exit_page'
                ? 'With "is": /blog/* matches one level, /blog/** any depth.'
                : undefined
            }
          />
          <datalist id={listId}>
            {values.map((v) => (
              <option key={v} value={v}>
                {dimension === 'visit:country' ? countryName(v) : undefined}
              </option>
            ))}
          </datalist>
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => ref.current?.close()}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary">
              Apply filter
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
