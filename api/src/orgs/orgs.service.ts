import { Inject, Injectable } from '@nestjs/common';
import type { MemberView, OrgRole, OrgView } from '@sightline/api-contract';
import { ApiKeyRepository } from '../api-keys/api-key.repository';
import { DomainError, notFound } from '../common/domain-error';
import { RevocationBus } from '../realtime/revocation-bus';
import { OrgRepository, type MemberRow } from './org.repository';

/** Invitation roles each role may send (owners invite anyone, admins admins and viewers, viewers no one). */
const INVITABLE: Record<OrgRole, readonly OrgRole[]> = {
  owner: ['owner', 'admin', 'viewer'],
  admin: ['admin', 'viewer'],
  viewer: [],
};

/**
 * Orgs and their members; callers have passed OrgAccessService for the org first. Removing or
 * demoting a member also takes back what they handed out: API keys they created are revoked (not
 * re-owned: the removed person may have kept a copy of the secret), pending invitations they sent
 * that their new role could not send are deleted, and their realtime sockets on the org's sites close.
 */
@Injectable()
export class OrgsService {
  constructor(
    @Inject(OrgRepository) private readonly orgs: OrgRepository,
    @Inject(ApiKeyRepository) private readonly apiKeys: ApiKeyRepository,
    @Inject(RevocationBus) private readonly revocations: RevocationBus,
  ) {}

  async listForUser(userId: string): Promise<OrgView[]> {
    return (await this.orgs.listMembershipsOfUser(userId)).map((m) => ({
      id: m.orgId,
      name: m.orgName,
      role: m.role,
      createdAt: new Date(m.createdAt).toISOString(),
    }));
  }

  async create(userId: string, name: string): Promise<OrgView> {
    const org = await this.orgs.transaction((manager) => this.orgs.createWithOwner(name, userId, manager));
    return { id: org.id, name: org.name, role: 'owner', createdAt: org.createdAt.toISOString() };
  }

  async rename(orgId: string, name: string, role: OrgRole): Promise<OrgView> {
    const org = await this.orgs.rename(orgId, name);
    return { id: org.id, name: org.name, role, createdAt: org.createdAt.toISOString() };
  }

  async members(orgId: string): Promise<MemberView[]> {
    return (await this.orgs.listMembers(orgId)).map(toMemberView);
  }

  /** Role changes keep at least one owner, so an org can never be left without one. */
  async changeRole(orgId: string, userId: string, role: OrgRole): Promise<MemberView> {
    await this.orgs.transaction(async (manager) => {
      await this.orgs.lockOrg(orgId, manager);
      const member = await this.orgs.findMembership(orgId, userId, manager);
      if (!member) throw notFound('Member');
      if (member.role === 'owner' && role !== 'owner' && (await this.orgs.countOwners(orgId, manager)) <= 1)
        throw new DomainError(409, 'last_owner', 'An org needs at least one owner');
      await this.orgs.setRole(orgId, userId, role, manager);
      const allowed = INVITABLE[role];
      const taken = INVITABLE[member.role].filter((r) => !allowed.includes(r));
      if (taken.length > 0) await this.orgs.deletePendingInvitationsBy(orgId, userId, taken, manager);
      if (role === 'viewer') await this.apiKeys.revokeCreatedBy(orgId, userId, manager);
    });
    await this.revocations.publish({ kind: 'membership', orgId, userId });
    const updated = (await this.orgs.listMembers(orgId)).find((m) => m.userId === userId);
    if (!updated) throw notFound('Member');
    return toMemberView(updated);
  }

  async removeMember(orgId: string, userId: string): Promise<void> {
    await this.orgs.transaction(async (manager) => {
      await this.orgs.lockOrg(orgId, manager);
      const member = await this.orgs.findMembership(orgId, userId, manager);
      if (!member) throw notFound('Member');
      if (member.role === 'owner' && (await this.orgs.countOwners(orgId, manager)) <= 1)
        throw new DomainError(409, 'last_owner', 'An org needs at least one owner');
      await this.orgs.removeMember(orgId, userId, manager);
      await this.orgs.deletePendingInvitationsBy(orgId, userId, undefined, manager);
      await this.apiKeys.revokeCreatedBy(orgId, userId, manager);
    });
    await this.revocations.publish({ kind: 'membership', orgId, userId });
  }
}

function toMemberView(m: MemberRow): MemberView {
  return {
    userId: m.userId,
    email: m.email,
    name: m.name,
    role: m.role,
    joinedAt: new Date(m.joinedAt).toISOString(),
  };
}
