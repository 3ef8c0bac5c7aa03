'use client';

import type { HTMLAttributes, ReactNode } from 'react';
import { useMutation, useQueryClient, type QueryKey, type UseQueryResult } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { ErrorState, LoadingState } from '@/components/states';

type RowAttributes = HTMLAttributes<HTMLTableRowElement> & { [data: `data-${string}`]: string };

/**
 * A settings page's list of things (API keys, invitations, sessions, shared links, members): a
 * skeleton while its query loads, the error with "Try again" when it fails, `empty` when it has no
 * rows (omit `empty` to show the table regardless), else a table with the `columns` headings and a
 * last column, named "Actions" for screen readers only, holding each row's buttons.
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
  columns: string[];
  rowKey: (item: T) => string;
  /** The row's cells before the actions cell; `all` is every row of the list. */
  cells: (item: T, all: T[]) => ReactNode;
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
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            <th scope="col" className="actions">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={rowKey(item)} {...rowAttributes?.(item)}>
              {cells(item, items)}
              <td className="actions">{actions(item, items)}</td>
            </tr>
          ))}
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
