'use client';

import type { HTMLAttributes, ReactNode } from 'react';
import { useMutation, useQueryClient, type QueryKey, type UseQueryResult } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { ErrorState, LoadingState } from '@/components/states';

type RowAttributes = HTMLAttributes<HTMLTableRowElement> & { [data: `data-${string}`]: string };

/** A column of a settings list: its heading, or its heading and a class for its cells. */
export type SettingsColumn = string | { label: string; className: string };

/**
 * A settings page's list of things (API keys, invitations, sessions, shared links, members): a
 * skeleton while its query loads, the error with "Try again" when it fails, `empty` when it has no
 * rows (omit `empty` to show the table regardless), else a table with the `columns` headings and a
 * last column, named "Actions" for screen readers only, holding each row's buttons.
 *
 * On a phone (globals.css, `.settings-list`) each row becomes a block: every cell on its own line
 * with its column's heading beside it (from `data-label`), the buttons below. The explicit table
 * roles keep the table semantics that some browsers drop from a table restyled with `display`.
 */
export function SettingsList<T>({
  query,
  columns,
  rowKey,
  cells,
  actions,
  empty,
  loadingRows = 2,
  rowAttributes,
}: {
  query: UseQueryResult<T[]>;
  columns: SettingsColumn[];
  rowKey: (item: T) => string;
  /** The contents of the row's cells before the actions cell, one per column; `all` is every row of the list. */
  cells: (item: T, all: T[]) => ReactNode[];
  /** The content of the row's actions cell (null for none). */
  actions: (item: T, all: T[]) => ReactNode;
  empty?: ReactNode;
  loadingRows?: number;
  rowAttributes?: (item: T) => RowAttributes;
}) {
  if (query.isPending) return <LoadingState rows={loadingRows} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const items = query.data;
  if (items.length === 0 && empty !== undefined) return <>{empty}</>;
  const heads = columns.map((column) =>
    typeof column === 'string' ? { label: column, className: undefined } : column,
  );
  return (
    <div className="table-wrap settings-list">
      <table className="table" role="table">
        <thead role="rowgroup">
          <tr role="row">
            {heads.map(({ label }) => (
              <th key={label} scope="col" role="columnheader">
                {label}
              </th>
            ))}
            <th scope="col" role="columnheader" className="actions">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {items.map((item) => {
            const contents = cells(item, items);
            return (
              <tr key={rowKey(item)} role="row" {...rowAttributes?.(item)}>
                {heads.map(({ label, className }, i) => (
                  <td key={label} role="cell" className={className} data-label={label}>
                    {contents[i]}
                  </td>
                ))}
                <td role="cell" className="actions">
                  {actions(item, items)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** DELETE `${path}/${id}`, then the list under `queryKey` is fetched again (whether it worked or not). */
export function useRevokeMutation(path: string, queryKey: QueryKey) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<void>(`${path}/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSettled: () => queryClient.invalidateQueries({ queryKey }),
  });
}

/**
 * A row's Revoke button. `danger` is the red variant; `name`, when given, makes its accessible name
 * "Revoke <name>" (the visible text stays "Revoke").
 */
export function RevokeButton({
  onClick,
  disabled,
  danger = false,
  name,
}: {
  onClick: () => void;
  disabled: boolean;
  danger?: boolean;
  name?: string;
}) {
  return (
    <button
      type="button"
      className={danger ? 'btn btn-sm btn-danger' : 'btn btn-ghost btn-sm'}
      onClick={onClick}
      disabled={disabled}
      aria-label={name === undefined ? undefined : `Revoke ${name}`}
    >
      Revoke
    </button>
  );
}
