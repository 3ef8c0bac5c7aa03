'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  createAnnouncementBody,
  type AnnouncementView,
  type CreateAnnouncementBody,
} from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { formatDate, formatDateTime } from '@/lib/format';
import { queryKeys } from '@/lib/queries/keys';
import { useAdminAnnouncementsQuery, useAdminAuditQuery, useAdminSearchQuery } from '@/lib/queries/security';
import { FormError, FormSuccess, TextField } from '@/components/field';
import { useFormErrors } from '@/components/form-errors';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { StateBadges } from './admin-gate';

export function AdminHome() {
  const router = useRouter();
  const pathname = usePathname();
  const q = useSearchParams().get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const search = (event: FormEvent) => {
    event.preventDefault();
    router.replace(`${pathname}?q=${encodeURIComponent(draft.trim())}`);
  };
  return (
    <div className="stack">
      <div className="page-header" style={{ marginBottom: 0 }}>
        <h1>Support admin</h1>
      </div>
      <form className="card admin-search" role="search" onSubmit={search}>
        <label className="visually-hidden" htmlFor="admin-q">
          Search
        </label>
        <input
          id="admin-q"
          className="input"
          type="search"
          placeholder="Email, name or site domain"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" className="btn btn-primary">
          Search
        </button>
      </form>
      {q ? <SearchResults q={q} /> : null}
      <div className="admin-grid">
        <AnnouncementForm />
        <Announcements />
      </div>
      <AuditLog />
    </div>
  );
}

function SearchResults({ q }: { q: string }) {
  const result = useAdminSearchQuery(q);
  if (q.trim().length < 2) return <p className="muted">Type at least 2 characters.</p>;
  if (result.isPending) return <LoadingState rows={2} />;
  if (result.isError) return <ErrorState error={result.error} onRetry={() => void result.refetch()} />;
  const { orgs, users } = result.data;
  return (
    <div className="admin-grid">
      <section className="card" aria-labelledby="orgs-found">
        <h2 id="orgs-found">Organizations ({orgs.length})</h2>
        {orgs.length === 0 ? (
          <EmptyState title="No organization matches" />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Members</th>
                  <th>Sites</th>
                  <th>Created</th>
                </tr>
              </thead>
              <tbody>
                {orgs.map((o) => (
                  <tr key={o.id}>
                    <td>
                      <Link href={`/admin/orgs/${o.id}`}>{o.name}</Link>
                    </td>
                    <td>{o.members}</td>
                    <td>{o.sites}</td>
                    <td>{formatDate(o.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="users-found">
        <h2 id="users-found">Users ({users.length})</h2>
        {users.length === 0 ? (
          <EmptyState title="No user matches" />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>Email</th>
                  <th>Name</th>
                  <th>State</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <tr key={u.id}>
                    <td>
                      <Link href={`/admin/users/${u.id}`}>{u.email}</Link>
                    </td>
                    <td>{u.name ?? '—'}</td>
                    <td>
                      <StateBadges blocked={u.blocked} deletion={u.deletionRequestedAt} staff={u.staff} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function inADay(): string {
  const d = new Date(Date.now() + 86_400_000);
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function AnnouncementForm() {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState('');
  const [orgId, setOrgId] = useState('');
  const [expires, setExpires] = useState(inADay);
  const [mail, setMail] = useState(false);
  const [reason, setReason] = useState('');
  const { fieldErrors, formError, check, showApiError } = useFormErrors();
  const post = useMutation({
    mutationFn: (body: CreateAnnouncementBody) =>
      apiFetch<AnnouncementView>('/api/admin/announcements', { method: 'POST', body }),
    onSuccess: () => {
      setMessage('');
      void queryClient.invalidateQueries({ queryKey: queryKeys.adminAnnouncements });
      void queryClient.invalidateQueries({ queryKey: queryKeys.adminAudit });
      void queryClient.invalidateQueries({ queryKey: queryKeys.announcements });
    },
    onError: showApiError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const at = new Date(expires);
    const body = check(createAnnouncementBody, {
      message,
      ...(orgId.trim() ? { orgId: orgId.trim() } : {}),
      expiresAt: Number.isNaN(at.getTime()) ? '' : at.toISOString(),
      mail,
      ...(reason.trim() ? { reason } : {}),
    });
    if (body) post.mutate(body);
  };
  return (
    <form className="card form" onSubmit={submit} noValidate>
      <h2>Post an announcement</h2>
      <FormError message={formError} />
      {post.isSuccess ? <FormSuccess message="Posted. It shows as a banner until it expires." /> : null}
      <TextField
        label="Message"
        value={message}
        onChange={(e) => setMessage(e.target.value)}
        error={fieldErrors.message}
      />
      <TextField
        label="Org ID (empty: every user)"
        value={orgId}
        onChange={(e) => setOrgId(e.target.value)}
        error={fieldErrors.orgId}
      />
      <TextField
        label="Shown until"
        type="datetime-local"
        value={expires}
        onChange={(e) => setExpires(e.target.value)}
        error={fieldErrors.expiresAt}
      />
      <label className="row small">
        <input type="checkbox" checked={mail} onChange={(e) => setMail(e.target.checked)} /> Also send it by
        email
      </label>
      <TextField
        label="Reason (for the audit log)"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <div>
        <button type="submit" className="btn btn-primary" disabled={post.isPending}>
          {post.isPending ? 'Posting…' : 'Post announcement'}
        </button>
      </div>
    </form>
  );
}

function Announcements() {
  const list = useAdminAnnouncementsQuery();
  return (
    <section className="card" aria-labelledby="announcements-title">
      <h2 id="announcements-title">Recent announcements</h2>
      {list.isPending ? (
        <LoadingState rows={2} />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <EmptyState title="None yet" />
      ) : (
        <ul className="stack-sm">
          {list.data.map((a) => (
            <li key={a.id}>
              <strong>{a.orgName ?? 'Everyone'}</strong>: {a.message}{' '}
              <span className="muted small">
                until {formatDateTime(a.expiresAt)}
                {a.mailedAt ? ', mailed' : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AuditLog() {
  const log = useAdminAuditQuery();
  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <p className="muted small">
        Every admin action, newest first. The database refuses edits and deletions.
      </p>
      {log.isPending ? (
        <LoadingState rows={3} />
      ) : log.isError ? (
        <ErrorState error={log.error} onRetry={() => void log.refetch()} />
      ) : log.data.length === 0 ? (
        <EmptyState title="No admin actions yet" />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>What</th>
                <th>Target</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {log.data.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.createdAt)}</td>
                  <td>{e.actorEmail}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>
                    {e.targetType === 'user' ? (
                      <Link href={`/admin/users/${e.targetId}`}>user {e.targetId.slice(0, 8)}</Link>
                    ) : e.targetType === 'org' ? (
                      <Link href={`/admin/orgs/${e.targetId}`}>org {e.targetId.slice(0, 8)}</Link>
                    ) : (
                      `${e.targetType} ${e.targetId.slice(0, 8)}`
                    )}
                  </td>
                  <td>{e.reason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
