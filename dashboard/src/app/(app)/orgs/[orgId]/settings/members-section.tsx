'use client';

import { useRouter } from 'next/navigation';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MemberView, OrgRole } from '@sightline/api-contract';
import { apiFetch } from '@/lib/api-client';
import { formatDate } from '@/lib/format';
import { useMeQuery } from '@/lib/queries/auth';
import { queryKeys } from '@/lib/queries/keys';
import { orgPath, useMembersQuery } from '@/lib/queries/orgs';
import { useConfirm } from '@/components/confirm-dialog';
import { FormError } from '@/components/field';
import { SettingsList } from '@/components/settings-list';

export const ROLES: { value: OrgRole; label: string }[] = [
  { value: 'owner', label: 'Owner' },
  { value: 'admin', label: 'Admin' },
  { value: 'viewer', label: 'Viewer' },
];

export function MembersSection({ orgId, myRole }: { orgId: string; myRole: OrgRole }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const members = useMembersQuery(orgId);
  const me = useMeQuery();
  const { confirm, dialog } = useConfirm();
  const myId = me.data?.user.id;
  const isOwner = myRole === 'owner';

  const changeRole = useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: OrgRole }) =>
      apiFetch<MemberView>(`${orgPath(orgId)}/members/${encodeURIComponent(userId)}`, {
        method: 'PATCH',
        body: { role },
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.members(orgId) }),
  });

  const remove = useMutation({
    mutationFn: (userId: string) =>
      apiFetch<void>(`${orgPath(orgId)}/members/${encodeURIComponent(userId)}`, { method: 'DELETE' }),
    onSuccess: async (_data, userId) => {
      if (userId === myId) {
        await queryClient.invalidateQueries({ queryKey: queryKeys.me });
        router.replace('/sites');
        return;
      }
      await queryClient.invalidateQueries({ queryKey: queryKeys.members(orgId) });
    },
  });

  const confirmRemove = (member: MemberView) => {
    const self = member.userId === myId;
    confirm({
      title: self ? 'Leave this organization?' : `Remove ${member.email}?`,
      message: self
        ? 'You lose access to its sites until someone invites you again.'
        : 'They lose access to this organization and its sites.',
      confirmLabel: self ? 'Leave' : 'Remove',
      danger: true,
      onConfirm: () => remove.mutate(member.userId),
    });
  };

  return (
    <section className="card stack">
      {dialog}
      <h2>Members</h2>
      <FormError message={changeRole.error?.message ?? remove.error?.message} />
      <SettingsList
        query={members}
        loadingRows={3}
        columns={['Member', 'Role', { label: 'Joined', className: 'muted small' }]}
        rowKey={(member) => member.userId}
        cells={(member) => {
          const self = member.userId === myId;
          return [
            <>
              <div>{member.name ?? member.email}</div>
              {member.name ? <div className="muted small">{member.email}</div> : null}
              {self ? <span className="badge badge-accent">you</span> : null}
            </>,
            isOwner && !self ? (
              <>
                <label className="visually-hidden" htmlFor={`role-${member.userId}`}>
                  Role of {member.email}
                </label>
                <select
                  id={`role-${member.userId}`}
                  className="select select-inline"
                  value={member.role}
                  disabled={changeRole.isPending}
                  onChange={(e) =>
                    changeRole.mutate({ userId: member.userId, role: e.target.value as OrgRole })
                  }
                >
                  {ROLES.map((r) => (
                    <option key={r.value} value={r.value}>
                      {r.label}
                    </option>
                  ))}
                </select>
              </>
            ) : (
              <span className="badge">{member.role}</span>
            ),
            formatDate(member.joinedAt),
          ];
        }}
        actions={(member, all) => {
          const self = member.userId === myId;
          // An org keeps at least one owner: its last owner cannot leave (the API refuses too).
          const lastOwner = member.role === 'owner' && all.filter((m) => m.role === 'owner').length === 1;
          return (isOwner || self) && !(self && lastOwner) ? (
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={() => confirmRemove(member)}
              disabled={remove.isPending}
            >
              {self ? 'Leave' : 'Remove'}
            </button>
          ) : null;
        }}
      />
    </section>
  );
}
