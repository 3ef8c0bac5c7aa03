'use client';

import { useRouter } from 'next/navigation';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-client';
import { CountryFlag } from '@/components/country-flag';
import { countryName, formatDateTime, formatRelative } from '@/lib/format';
import { useSessionsQuery } from '@/lib/queries/auth';
import { queryKeys } from '@/lib/queries/keys';
import { useConfirm } from '@/components/confirm-dialog';
import { FormError } from '@/components/field';
import { ErrorState, LoadingState } from '@/components/states';

export function SessionsSection() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const sessions = useSessionsQuery();
  const { confirm, dialog } = useConfirm();

  const revoke = useMutation({
    mutationFn: (id: string) =>
      apiFetch<void>(`/api/account/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.sessions }),
  });

  const logoutAll = useMutation({
    mutationFn: () => apiFetch<void>('/api/auth/logout-all', { method: 'POST' }),
    onSuccess: () => {
      queryClient.clear();
      router.replace('/login');
    },
  });

  return (
    <section className="card stack">
      {dialog}
      <div className="row">
        <h2>Active sessions</h2>
        <span className="spacer" />
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => {
            confirm({
              title: 'Log out everywhere?',
              message: 'Every session ends, including this one, and you will need to sign in again.',
              confirmLabel: 'Log out everywhere',
              danger: true,
              onConfirm: () => logoutAll.mutate(),
            });
          }}
          disabled={logoutAll.isPending}
        >
          Log out everywhere
        </button>
      </div>
      <FormError message={revoke.error?.message ?? logoutAll.error?.message} />
      {sessions.isPending ? (
        <LoadingState rows={2} />
      ) : sessions.isError ? (
        <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Location</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last active</th>
                <th scope="col" className="actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.map((session) => (
                <tr key={session.id}>
                  <td>
                    {session.device ?? 'Unknown device'}{' '}
                    {session.current ? <span className="badge badge-good">this device</span> : null}
                  </td>
                  <td>
                    {session.country ? (
                      <>
                        <CountryFlag code={session.country} /> {countryName(session.country)}
                      </>
                    ) : (
                      <span className="muted">Unknown</span>
                    )}
                  </td>
                  <td className="muted small">{formatDateTime(session.createdAt)}</td>
                  <td className="muted small">{formatRelative(session.lastSeenAt)}</td>
                  <td className="actions">
                    {session.current ? null : (
                      <button
                        type="button"
                        className="btn btn-ghost btn-sm"
                        onClick={() => revoke.mutate(session.id)}
                        disabled={revoke.isPending}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
