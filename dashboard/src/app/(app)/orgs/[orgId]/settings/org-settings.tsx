'use client';

import { useEffect } from 'react';
import { EmptyState } from '@/components/states';
import { useOrgs } from '../../../org-context';
import { ApiKeysSection } from './api-keys-section';
import { InvitationsSection } from './invitations-section';
import { MembersSection } from './members-section';
import { OrgNameSection } from './org-name-section';

export function OrgSettings({ orgId }: { orgId: string }) {
  const { orgs, rememberOrg } = useOrgs();
  const membership = orgs.find((o) => o.orgId === orgId);

  useEffect(() => {
    if (membership) rememberOrg(membership.orgId);
  }, [membership, rememberOrg]);

  if (!membership) {
    return (
      <div className="card">
        <EmptyState title="Organization not found">You are not a member of this organization.</EmptyState>
      </div>
    );
  }
  const manager = membership.role === 'owner' || membership.role === 'admin';

  return (
    <div className="stack" style={{ maxWidth: 860 }}>
      <div className="page-header" style={{ marginBottom: 0 }}>
        <h1>{membership.orgName}</h1>
        <span className="badge">{membership.role}</span>
      </div>
      {manager ? <OrgNameSection key={orgId} orgId={orgId} name={membership.orgName} /> : null}
      <MembersSection orgId={orgId} myRole={membership.role} />
      {manager ? <InvitationsSection orgId={orgId} canInviteOwners={membership.role === 'owner'} /> : null}
      {manager ? <ApiKeysSection orgId={orgId} /> : null}
    </div>
  );
}
