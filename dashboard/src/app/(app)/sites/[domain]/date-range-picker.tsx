'use client';

import { useId, useState, type FormEvent } from 'react';
import { PERIODS, type DashboardState, type Period } from '@/lib/dashboard-params';

function isoDate(date: Date): string {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** Named ranges in a select; "Custom range" reveals from/to inputs that apply on submit. */
export function DateRangePicker({
  state,
  update,
}: {
  state: DashboardState;
  update: (patch: Partial<DashboardState>) => void;
}) {
  const id = useId();
  const [editingCustom, setEditingCustom] = useState(false);
  const [from, setFrom] = useState(state.from ?? '');
  const [to, setTo] = useState(state.to ?? '');
  const showCustom = editingCustom || state.period === 'custom';

  const choose = (period: Period) => {
    if (period === 'custom') {
      const today = new Date();
      const monthAgo = new Date(today.getTime() - 29 * 86_400_000);
      setFrom(state.from ?? isoDate(monthAgo));
      setTo(state.to ?? isoDate(today));
      setEditingCustom(true);
      return;
    }
    setEditingCustom(false);
    update({ period });
  };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (!from || !to) return;
    const [a, b] = from <= to ? [from, to] : [to, from];
    update({ period: 'custom', from: a, to: b });
    setEditingCustom(false);
  };

  return (
    <div className="row">
      <label className="visually-hidden" htmlFor={id}>
        Date range
      </label>
      <select
        id={id}
        className="select select-inline"
        value={showCustom ? 'custom' : state.period}
        onChange={(e) => choose(e.target.value as Period)}
      >
        {PERIODS.map((p) => (
          <option key={p.value} value={p.value}>
            {p.label}
          </option>
        ))}
      </select>
      {showCustom ? (
        <form className="date-custom" onSubmit={apply} aria-label="Custom date range">
          <label className="visually-hidden" htmlFor={`${id}-from`}>
            Start date
          </label>
          <input
            id={`${id}-from`}
            className="input"
            type="date"
            value={from}
            max={to || undefined}
            onChange={(e) => setFrom(e.target.value)}
            required
          />
          <span className="muted" aria-hidden="true">
            –
          </span>
          <label className="visually-hidden" htmlFor={`${id}-to`}>
            End date
          </label>
          <input
            id={`${id}-to`}
            className="input"
            type="date"
            value={to}
            min={from || undefined}
            onChange={(e) => setTo(e.target.value)}
            required
          />
          <button type="submit" className="btn btn-sm btn-primary">
            Apply
          </button>
          {editingCustom && state.period !== 'custom' ? (
            <button type="button" className="btn btn-sm btn-ghost" onClick={() => setEditingCustom(false)}>
              Cancel
            </button>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
