import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface PurgedAccount {
  /** Orgs the user was the only owner of: emptied and marked deleted; removed once their sites are gone. */
  orgIds: string[];
  /** Those orgs' sites, soft-deleted so the retention sweep removes their ClickHouse rows and then them. */
  siteIds: number[];
}

/** Postgres side of the account-deletion job. */
@Injectable()
export class AccountDeletionRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Accounts whose deletion was requested at or before `cutoff` (the 72-hour window is over). */
  async listDue(cutoff: Date, limit: number): Promise<string[]> {
    const rows = (await this.dataSource.query(
      'SELECT id FROM users WHERE deleted_at IS NOT NULL AND deleted_at <= $1 ORDER BY deleted_at, id LIMIT $2',
      [cutoff.toISOString(), limit],
    )) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  /**
   * Removes the user and everything that is theirs, in one transaction. Orgs where they are the
   * only (live) owner lose their members, invitations, API keys and announcements, get a neutral
   * name and `deleted_at`, and their sites are soft-deleted: the retention sweep removes the sites'
   * ClickHouse rows and then the site rows, and `removeEmptyDeletedOrgs` the orgs. Elsewhere the
   * API keys they created and the invitations they sent or received go. Then the user row
   * (sessions, email tokens, memberships, recovery codes by cascade). Idempotent.
   */
  async purge(userId: string): Promise<PurgedAccount> {
    return this.dataSource.transaction(async (manager) => {
      const users = (await manager.query(
        'SELECT email FROM users WHERE id = $1 AND deleted_at IS NOT NULL FOR UPDATE',
        [userId],
      )) as Array<{ email: string }>;
      const email = users[0]?.email;
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
      const sites = (await manager.query(
        'UPDATE sites SET deleted_at = COALESCE(deleted_at, now()) WHERE org_id = ANY($1::uuid[]) RETURNING id',
        [orgIds],
      )) as [Array<{ id: number }>, number];
      await manager.query(
        "UPDATE orgs SET name = 'Deleted organization', deleted_at = now() WHERE id = ANY($1::uuid[])",
        [orgIds],
      );
      for (const table of ['memberships', 'invitations', 'api_keys', 'announcements'])
        await manager.query(`DELETE FROM ${table} WHERE org_id = ANY($1::uuid[])`, [orgIds]);
      await manager.query('DELETE FROM api_keys WHERE created_by = $1', [userId]);
      await manager.query('DELETE FROM invitations WHERE invited_by = $1 OR email = $2', [userId, email]);
      await manager.query('DELETE FROM users WHERE id = $1', [userId]);
      return { orgIds, siteIds: sites[0].map((s) => Number(s.id)) };
    });
  }

  /** Deleted orgs whose sites the retention sweep has removed. */
  async removeEmptyDeletedOrgs(): Promise<number> {
    const [, removed] = (await this.dataSource.query(
      `DELETE FROM orgs o WHERE o.deleted_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM sites s WHERE s.org_id = o.id)`,
    )) as [unknown, number];
    return removed;
  }
}
