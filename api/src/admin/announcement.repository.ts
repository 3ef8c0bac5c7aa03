import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AnnouncementView } from '@sightline/api-contract';

interface AnnouncementRow {
  id: string;
  message: string;
  orgId: string | null;
  orgName: string | null;
  expiresAt: Date;
  createdAt: Date;
  mailedAt: Date | null;
}

const COLUMNS = `a.id, a.message, a.org_id AS "orgId", o.name AS "orgName", a.expires_at AS "expiresAt",
  a.created_at AS "createdAt", a.mailed_at AS "mailedAt"`;

@Injectable()
export class AnnouncementRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async create(fields: {
    message: string;
    orgId: string | null;
    expiresAt: Date;
  }): Promise<AnnouncementView> {
    const [row] = (await this.dataSource.query(
      'INSERT INTO announcements (message, org_id, expires_at) VALUES ($1, $2, $3) RETURNING id',
      [fields.message, fields.orgId, fields.expiresAt],
    )) as Array<{ id: string }>;
    const [created] = await this.query('WHERE a.id = $1', [row?.id]);
    if (!created) throw new Error('announcement vanished after insert');
    return created;
  }

  /** Banners a user sees now: the global ones and those of orgs they belong to. */
  listActiveFor(userId: string, now: Date): Promise<AnnouncementView[]> {
    return this.query(
      `WHERE a.expires_at > $2
         AND (a.org_id IS NULL OR a.org_id IN (SELECT org_id FROM memberships WHERE user_id = $1))
       ORDER BY a.created_at DESC LIMIT 10`,
      [userId, now],
    );
  }

  listRecent(limit: number): Promise<AnnouncementView[]> {
    return this.query(`ORDER BY a.created_at DESC LIMIT ${Math.trunc(limit)}`, []);
  }

  /** Who an announcement is mailed to: every active user, or the org's members. */
  async recipients(orgId: string | null): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT u.email FROM users u
        WHERE u.deleted_at IS NULL AND u.blocked_at IS NULL
          AND ($1::uuid IS NULL OR u.id IN (SELECT user_id FROM memberships WHERE org_id = $1))
        ORDER BY u.email`,
      [orgId],
    )) as Array<{ email: string }>;
    return rows.map((r) => r.email);
  }

  async markMailed(id: string, at: Date): Promise<void> {
    await this.dataSource.query('UPDATE announcements SET mailed_at = $2 WHERE id = $1', [id, at]);
  }

  async orgExists(orgId: string): Promise<boolean> {
    const rows = (await this.dataSource.query('SELECT 1 FROM orgs WHERE id = $1', [orgId])) as unknown[];
    return rows.length > 0;
  }

  private async query(tail: string, params: unknown[]): Promise<AnnouncementView[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM announcements a LEFT JOIN orgs o ON o.id = a.org_id ${tail}`,
      params,
    )) as AnnouncementRow[];
    return rows.map((r) => ({
      ...r,
      expiresAt: r.expiresAt.toISOString(),
      createdAt: r.createdAt.toISOString(),
      mailedAt: r.mailedAt?.toISOString() ?? null,
    }));
  }
}
