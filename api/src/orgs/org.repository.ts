import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, MoreThan, type EntityManager } from 'typeorm';
import type { OrgRole } from '@sightline/api-contract';
import { InvitationEntity, MembershipEntity, OrgEntity } from '@sightline/database';

export interface MembershipRow {
  orgId: string;
  orgName: string;
  role: OrgRole;
  createdAt: Date;
}

export interface MemberRow {
  userId: string;
  email: string;
  name: string | null;
  role: OrgRole;
  joinedAt: Date;
}

/** Orgs, memberships and invitations. */
@Injectable()
export class OrgRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async createWithOwner(name: string, ownerId: string, manager?: EntityManager): Promise<OrgEntity> {
    const em = manager ?? this.dataSource.manager;
    const org = await em.save(em.create(OrgEntity, { name }));
    await em.insert(MembershipEntity, { orgId: org.id, userId: ownerId, role: 'owner' });
    return org;
  }

  async rename(orgId: string, name: string): Promise<OrgEntity> {
    await this.dataSource.manager.update(OrgEntity, { id: orgId }, { name });
    return this.dataSource.manager.findOneByOrFail(OrgEntity, { id: orgId });
  }

  findMembership(orgId: string, userId: string, manager?: EntityManager): Promise<MembershipEntity | null> {
    return (manager ?? this.dataSource.manager).findOneBy(MembershipEntity, { orgId, userId });
  }

  /**
   * Locks the org row until the transaction ends, so membership changes of one org run one after
   * another (the last-owner check would otherwise race: two owners demoting each other at once).
   */
  async lockOrg(orgId: string, manager: EntityManager): Promise<void> {
    await manager.query('SELECT id FROM orgs WHERE id = $1 FOR UPDATE', [orgId]);
  }

  async listMembershipsOfUser(userId: string): Promise<MembershipRow[]> {
    return (await this.dataSource.query(
      `SELECT o.id AS "orgId", o.name AS "orgName", m.role, o.created_at AS "createdAt"
         FROM memberships m JOIN orgs o ON o.id = m.org_id
        WHERE m.user_id = $1 ORDER BY o.created_at, o.name`,
      [userId],
    )) as MembershipRow[];
  }

  async listMembers(orgId: string): Promise<MemberRow[]> {
    return (await this.dataSource.query(
      `SELECT u.id AS "userId", u.email, u.name, m.role, m.created_at AS "joinedAt"
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.org_id = $1 AND u.deleted_at IS NULL ORDER BY m.created_at, u.email`,
      [orgId],
    )) as MemberRow[];
  }

  async countOwners(orgId: string, manager?: EntityManager): Promise<number> {
    return (manager ?? this.dataSource.manager).countBy(MembershipEntity, { orgId, role: 'owner' });
  }

  async setRole(orgId: string, userId: string, role: OrgRole, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).update(MembershipEntity, { orgId, userId }, { role });
  }

  async removeMember(orgId: string, userId: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).delete(MembershipEntity, { orgId, userId });
  }

  /** Adds a member, or keeps the existing membership (accepting an invitation twice is harmless). */
  async addMember(orgId: string, userId: string, role: OrgRole, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).query(
      'INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [orgId, userId, role],
    );
  }

  findOrg(orgId: string): Promise<OrgEntity | null> {
    return this.dataSource.getRepository(OrgEntity).findOneBy({ id: orgId });
  }

  createInvitation(
    fields: Pick<InvitationEntity, 'orgId' | 'email' | 'role' | 'tokenHash' | 'invitedBy' | 'expiresAt'>,
    manager?: EntityManager,
  ): Promise<InvitationEntity> {
    const repo = (manager ?? this.dataSource.manager).getRepository(InvitationEntity);
    return repo.save(repo.create({ ...fields, acceptedAt: null }));
  }

  /** Seats the org's plan counts: members, and invitations still pending (not accepted, not expired). */
  async countSeats(orgId: string, manager: EntityManager): Promise<{ members: number; pending: number }> {
    const members = await manager.countBy(MembershipEntity, { orgId });
    const pending = await manager.countBy(InvitationEntity, {
      orgId,
      acceptedAt: IsNull(),
      expiresAt: MoreThan(new Date()),
    });
    return { members, pending };
  }

  listPendingInvitations(orgId: string): Promise<InvitationEntity[]> {
    return this.dataSource.getRepository(InvitationEntity).find({
      where: { orgId, acceptedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { createdAt: 'DESC' },
    });
  }

  findPendingInvitationByTokenHash(tokenHash: string): Promise<InvitationEntity | null> {
    return this.dataSource.getRepository(InvitationEntity).findOne({
      where: { tokenHash, acceptedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      relations: { org: true },
    });
  }

  /** Marks an invitation accepted exactly once; false when someone else already used it. */
  async markInvitationAccepted(id: string, manager: EntityManager): Promise<boolean> {
    const result = await manager.update(
      InvitationEntity,
      { id, acceptedAt: IsNull() },
      { acceptedAt: new Date() },
    );
    return (result.affected ?? 0) > 0;
  }

  async deleteInvitation(orgId: string, id: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(InvitationEntity)
      .delete({ orgId, id, acceptedAt: IsNull() });
    return (result.affected ?? 0) > 0;
  }

  /** Deletes the pending invitations one member sent in the org (only those offering `roles`, when given). */
  async deletePendingInvitationsBy(
    orgId: string,
    invitedBy: string,
    roles: readonly OrgRole[] | undefined,
    manager: EntityManager,
  ): Promise<number> {
    const result = await manager.delete(InvitationEntity, {
      orgId,
      invitedBy,
      acceptedAt: IsNull(),
      ...(roles ? { role: In([...roles]) } : {}),
    });
    return result.affected ?? 0;
  }
}
