'use client';

import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  createInvitationBody,
  type CreateInvitationBody,
  type InvitationView,
  type OrgRole,
} from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { formatDate } from '@/lib/format';
import { queryKeys } from '@/lib/queries/keys';
import { orgPath, useInvitationsQuery } from '@/lib/queries/orgs';
import { FormError, FormSuccess, TextField } from '@/components/field';
import { useFormErrors } from '@/components/form-errors';
import { EmptyState } from '@/components/states';
import { RevokeButton, SettingsList, useRevokeMutation } from '@/components/settings-list';
import { ROLES } from './members-section';

export function InvitationsSection({ orgId, canInviteOwners }: { orgId: string; canInviteOwners: boolean }) {
  const queryClient = useQueryClient();
  const invitations = useInvitationsQuery(orgId, true);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<OrgRole>('viewer');
  const { fieldErrors, formError, check, showApiError } = useFormErrors();
  const [sentTo, setSentTo] = useState<string | null>(null);

  const invite = useMutation({
    mutationFn: (body: CreateInvitationBody) =>
      apiFetch<InvitationView>(`${orgPath(orgId)}/invitations`, { method: 'POST', body }),
    onSuccess: (created) => {
      setSentTo(created.email);
      setEmail('');
      void queryClient.invalidateQueries({ queryKey: queryKeys.invitations(orgId) });
    },
    onError: showApiError,
  });

  const revoke = useRevokeMutation(`${orgPath(orgId)}/invitations`, queryKeys.invitations(orgId));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSentTo(null);
    const body = check(createInvitationBody, { email, role });
    if (body) invite.mutate(body);
  };

  return (
    <section className="card stack">
      <h2>Invitations</h2>
      <form className="form-row" onSubmit={submit} noValidate>
        <TextField
          label="Email"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fieldErrors.email}
          placeholder="teammate@example.com"
        />
        <div className="field" style={{ flex: '0 0 auto' }}>
          <label className="label" htmlFor="invite-role">
            Role
          </label>
          <select
            id="invite-role"
            className="select"
            value={role}
            onChange={(e) => setRole(e.target.value as OrgRole)}
          >
            {ROLES.filter((r) => canInviteOwners || r.value !== 'owner').map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn btn-primary" disabled={invite.isPending}>
          {invite.isPending ? 'Sending…' : 'Send invitation'}
        </button>
      </form>
      <FormError message={formError ?? fieldErrors.role} />
      {sentTo ? <FormSuccess message={`Invitation sent to ${sentTo}.`} /> : null}
      <FormError message={revoke.error?.message} />
      <h3>Pending</h3>
      <SettingsList
        query={invitations}
        columns={['Email', 'Role', { label: 'Expires', className: 'muted small' }]}
        empty={<EmptyState title="No pending invitations" />}
        rowKey={(inv) => inv.id}
        cells={(inv) => [
          <>
            {inv.email}
            {/* invitedBy may be a user id; show it only when it reads as a person. */}
            {inv.invitedBy?.includes('@') ? (
              <div className="muted small">invited by {inv.invitedBy}</div>
            ) : null}
          </>,
          <span className="badge">{inv.role}</span>,
          formatDate(inv.expiresAt),
        ]}
        actions={(inv) => <RevokeButton onClick={() => revoke.mutate(inv.id)} disabled={revoke.isPending} />}
      />
    </section>
  );
}
