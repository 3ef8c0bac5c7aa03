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
import { RevokeButton, SettingsList, useRevokeMutation } from '@/components/settings-list';

export function SessionsSection() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const sessions = useSessionsQuery();
  const { confirm, dialog } = useConfirm();

  const revoke = useRevokeMutation('/api/account/sessions', queryKeys.sessions);

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
      <SettingsList
        query={sessions}
        columns={[
          'Device',
          'Location',
          { label: 'Signed in', className: 'muted small' },
          { label: 'Last active', className: 'muted small' },
        ]}
        rowKey={(session) => session.id}
        cells={(session) => [
          <>
            {session.device ?? 'Unknown device'}{' '}
            {session.current ? <span className="badge badge-good">this device</span> : null}
          </>,
          session.country ? (
            <>
              <CountryFlag code={session.country} /> {countryName(session.country)}
            </>
          ) : (
            <span className="muted">Unknown</span>
          ),
          formatDateTime(session.createdAt),
          formatRelative(session.lastSeenAt),
        ]}
        actions={(session) =>
          session.current ? null : (
            <RevokeButton onClick={() => revoke.mutate(session.id)} disabled={revoke.isPending} />
          )
        }
      />
    </section>
  );
}
