'use client';

import Link from 'next/link';
import { formatDate, formatDateTime } from '@/lib/format';
import { useAdminOrgQuery } from '@/lib/queries/security';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { StateBadges } from '../../admin-gate';
import { AdminOrgBilling } from './admin-org-billing';

export function AdminOrg({ id }: { id: string }) {
  const org = useAdminOrgQuery(id);
  if (org.isPending) return <LoadingState rows={3} />;
  if (org.isError) return <ErrorState error={org.error} onRetry={() => void org.refetch()} />;
  const o = org.data;
  return (
    <div className="stack">
      <p className="small">
        <Link href="/admin">← Support admin</Link>
      </p>
      <div className="page-header" style={{ marginBottom: 0 }}>
        <h1>{o.name}</h1>
        <span className="muted small">
          created {formatDate(o.createdAt)} · <code>{o.id}</code>
        </span>
      </div>
      <AdminOrgBilling org={o} />
      <section className="card" aria-labelledby="members-title">
        <h2 id="members-title">Members ({o.memberList.length})</h2>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Email</th>
                <th>Role</th>
                <th>Last sign-in</th>
                <th>State</th>
              </tr>
            </thead>
            <tbody>
              {o.memberList.map((m) => (
                <tr key={m.id}>
                  <td>
                    <Link href={`/admin/users/${m.id}`}>{m.email}</Link>
                  </td>
                  <td>{m.role}</td>
                  <td>{m.lastSignInAt ? formatDateTime(m.lastSignInAt) : 'never'}</td>
                  <td>
                    <StateBadges blocked={m.blocked} deletion={m.deletionRequestedAt} staff={m.staff} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card" aria-labelledby="sites-title">
        <h2 id="sites-title">Sites ({o.siteList.length})</h2>
        {o.siteList.length === 0 ? (
          <EmptyState title="No sites" />
        ) : (
          <ul className="stack-sm">
            {o.siteList.map((s) => (
              <li key={s.id}>
                {s.domain} <span className="muted small">added {formatDate(s.createdAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
