import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, LessThanOrEqual, Not, type Repository } from 'typeorm';
import { SitePurgeEntity, UserEntity } from '@sightline/database';

export interface PurgedAccount {
  /** Orgs deleted because the user was their only owner. */
  orgIds: string[];
  /** Their sites, queued in site_purges until their ClickHouse events are removed. */
  siteIds: number[];
}

/** Soft and hard deletion of accounts in Postgres. */
@Injectable()
export class AccountDeletionRepository {
  private readonly users: Repository<UserEntity>;
  private readonly sitePurges: Repository<SitePurgeEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.users = dataSource.getRepository(UserEntity);
    this.sitePurges = dataSource.getRepository(SitePurgeEntity);
  }

  async markDeleted(userId: string, at: Date): Promise<void> {
    await this.users.update({ id: userId }, { deletedAt: at });
  }

  /** Users whose deletion was requested at or before `cutoff` (the 72-hour window is over). */
  async listDue(cutoff: Date, limit = 100): Promise<string[]> {
    const rows = await this.users.find({
      select: { id: true },
      where: { deletedAt: LessThanOrEqual(cutoff) },
      order: { deletedAt: 'ASC' },
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  isMarkedDeleted(userId: string): Promise<boolean> {
    return this.users.existsBy({ id: userId, deletedAt: Not(IsNull()) });
  }

  /**
   * Removes the user and everything that is theirs, in one transaction: orgs where they are the
   * only owner (with those orgs' sites, members, invitations, API keys, announcements — by
   * cascade), API keys they created and invitations they sent or received elsewhere, then the
   * user row (sessions, email tokens, memberships and recovery codes by cascade). The deleted
   * sites are queued in `site_purges` so their ClickHouse events are removed afterwards.
   */
  async purge(userId: string): Promise<PurgedAccount> {
    return this.dataSource.transaction(async (manager) => {
      const user = (await manager.query('SELECT email FROM users WHERE id = $1 FOR UPDATE', [
        userId,
      ])) as Array<{
        email: string;
      }>;
      const email = user[0]?.email;
      if (email === undefined) return { orgIds: [], siteIds: [] };
      const orgs = (await manager.query(
        `SELECT m.org_id AS "orgId" FROM memberships m
          WHERE m.user_id = $1 AND m.role = 'owner'
            AND NOT EXISTS (SELECT 1 FROM memberships o JOIN users u ON u.id = o.user_id
                             WHERE o.org_id = m.org_id AND o.role = 'owner' AND o.user_id <> $1
                               AND u.deleted_at IS NULL)`,
        [userId],
      )) as Array<{ orgId: string }>;
      const orgIds = orgs.map((o) => o.orgId);
      const sites = (await manager.query('SELECT id FROM sites WHERE org_id = ANY($1::uuid[])', [
        orgIds,
      ])) as Array<{ id: number }>;
      const siteIds = sites.map((s) => s.id);
      if (siteIds.length > 0)
        await manager.query(
          'INSERT INTO site_purges (site_id) SELECT unnest($1::int[]) ON CONFLICT (site_id) DO NOTHING',
          [siteIds],
        );
      await manager.query('DELETE FROM orgs WHERE id = ANY($1::uuid[])', [orgIds]);
      await manager.query('DELETE FROM api_keys WHERE created_by = $1', [userId]);
      await manager.query('DELETE FROM invitations WHERE invited_by = $1 OR email = $2', [userId, email]);
      await manager.query('DELETE FROM users WHERE id = $1', [userId]);
      return { orgIds, siteIds };
    });
  }

  async listPendingSitePurges(limit = 1000): Promise<number[]> {
    const rows = await this.sitePurges.find({ order: { requestedAt: 'ASC' }, take: limit });
    return rows.map((r) => r.siteId);
  }

  async completeSitePurges(siteIds: number[]): Promise<void> {
    if (siteIds.length > 0) await this.sitePurges.delete(siteIds.map((siteId) => ({ siteId })));
  }
}
