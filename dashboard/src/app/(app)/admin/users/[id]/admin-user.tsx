'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { adminReasonBody } from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { countryName, formatDate, formatDateTime } from '@/lib/format';
import { queryKeys } from '@/lib/queries/keys';
import { useAdminUserQuery } from '@/lib/queries/security';
import { FormError, TextField } from '@/components/field';
import { useFormErrors } from '@/components/form-errors';
import { useConfirm } from '@/components/confirm-dialog';
import { ErrorState, LoadingState } from '@/components/states';
import { StateBadges } from '../../admin-gate';

type Action = 'block' | 'unblock' | 'approve-deletion';

export function AdminUser({ id }: { id: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const user = useAdminUserQuery(id);
  const [reason, setReason] = useState('');
  const { confirm, dialog } = useConfirm();
  const { fieldErrors, formError, check, showApiError } = useFormErrors();
  const act = useMutation({
    mutationFn: ({ action, reason }: { action: Action; reason: string }) =>
      apiFetch<unknown>(`/api/admin/users/${encodeURIComponent(id)}/${action}`, {
        method: 'POST',
        body: { reason },
      }),
    onSuccess: (_data, { action }) => {
      setReason('');
      void queryClient.invalidateQueries({ queryKey: queryKeys.adminAudit });
      if (action === 'approve-deletion') router.replace('/admin');
      else void queryClient.invalidateQueries({ queryKey: queryKeys.adminUser(id) });
    },
    onError: showApiError,
  });
  const run = (action: Action, title: string, message: string) => {
    const body = check(adminReasonBody, { reason });
    if (!body) return;
    confirm({
      title,
      message,
      confirmLabel: title,
      danger: action !== 'unblock',
      onConfirm: () => act.mutate({ action, reason: body.reason }),
    });
  };

  if (user.isPending) return <LoadingState rows={3} />;
  if (user.isError) return <ErrorState error={user.error} onRetry={() => void user.refetch()} />;
  const u = user.data;
  return (
    <div className="stack">
      {dialog}
      <p className="small">
        <Link href="/admin">← Support admin</Link>
      </p>
      <div className="page-header" style={{ marginBottom: 0 }}>
        <h1>{u.email}</h1>
        <StateBadges blocked={u.blocked} deletion={u.deletionRequestedAt} staff={u.staff} />
      </div>
      <section className="card stack-sm">
        <p>
          {u.name ?? 'No name'} · signed up {formatDate(u.createdAt)} · two-factor{' '}
          {u.twoFactorEnabled ? 'on' : 'off'}
        </p>
        {u.blocked ? (
          <p className="notice notice-error">
            Blocked {formatDateTime(u.blockedAt)}: {u.blockedReason}
          </p>
        ) : null}
        {u.deletionRequestedAt ? (
          <p className="notice notice-warn">
            Asked to delete the account {formatDateTime(u.deletionRequestedAt)}.
          </p>
        ) : null}
        <h2>Organizations</h2>
        <ul className="stack-sm">
          {u.orgs.map((o) => (
            <li key={o.orgId}>
              <Link href={`/admin/orgs/${o.orgId}`}>{o.orgName}</Link>{' '}
              <span className="muted small">({o.role})</span>
            </li>
          ))}
        </ul>
      </section>
      <section className="card form">
        <h2>Actions</h2>
        <FormError message={formError} />
        <TextField
          label="Reason (recorded in the audit log)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={fieldErrors.reason}
        />
        <div className="row">
          {u.blocked ? (
            <button
              type="button"
              className="btn"
              disabled={act.isPending}
              onClick={() => run('unblock', 'Unblock user', 'They can sign in again.')}
            >
              Unblock
            </button>
          ) : (
            <button
              type="button"
              className="btn btn-danger"
              disabled={act.isPending}
              onClick={() =>
                run(
                  'block',
                  'Block user',
                  'Every session ends and sign-in is refused. Their sites keep counting.',
                )
              }
            >
              Block
            </button>
          )}
          {u.deletionRequestedAt ? (
            <button
              type="button"
              className="btn btn-danger"
              disabled={act.isPending}
              onClick={() =>
                run(
                  'approve-deletion',
                  'Delete now',
                  'The account, the orgs they alone own, those orgs’ sites and statistics are deleted now, without waiting for the 72 hours.',
                )
              }
            >
              Approve deletion now
            </button>
          ) : null}
        </div>
      </section>
      <section className="card" aria-labelledby="signins-title">
        <h2 id="signins-title">Recent sign-ins</h2>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>When</th>
                <th>Last seen</th>
                <th>Country</th>
                <th>Device</th>
                <th>State</th>
              </tr>
            </thead>
            <tbody>
              {u.signIns.map((s) => (
                <tr key={s.at}>
                  <td>{formatDateTime(s.at)}</td>
                  <td>{formatDateTime(s.lastSeenAt)}</td>
                  <td>{s.country ? countryName(s.country) : 'unknown'}</td>
                  <td>{s.device ?? 'unknown'}</td>
                  <td>{s.revoked ? 'ended' : 'active'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
