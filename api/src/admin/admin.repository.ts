import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type {
  AdminOrgDetail,
  AdminOrgSummary,
  AdminSignIn,
  AdminUserDetail,
  AdminUserSummary,
} from '@sightline/api-contract';

const SEARCH_LIMIT = 20;

interface UserRow {
  id: string;
  email: string;
  name: string | null;
  createdAt: Date;
  blockedAt: Date | null;
  blockedReason: string | null;
  deletedAt: Date | null;
  isStaff: boolean;
  totp: boolean;
}

const USER_COLUMNS = `u.id, u.email, u.name, u.created_at AS "createdAt", u.blocked_at AS "blockedAt",
  u.blocked_reason AS "blockedReason", u.deleted_at AS "deletedAt", u.is_staff AS "isStaff",
  (u.totp_secret IS NOT NULL) AS totp`;

/** Read models for the support panel, and blocking. Searches match a substring, case-insensitively. */
@Injectable()
export class AdminRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async searchUsers(query: string): Promise<AdminUserSummary[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${USER_COLUMNS} FROM users u
        WHERE u.email ILIKE $1 OR u.name ILIKE $1
           OR u.id IN (SELECT m.user_id FROM memberships m JOIN sites s ON s.org_id = m.org_id
                        WHERE s.domain ILIKE $1 AND s.deleted_at IS NULL)
        ORDER BY u.email LIMIT ${SEARCH_LIMIT}`,
      [likePattern(query)],
    )) as UserRow[];
    return rows.map(userSummary);
  }

  async searchOrgs(query: string): Promise<AdminOrgSummary[]> {
    const rows = (await this.dataSource.query(
      `SELECT o.id, o.name, o.created_at AS "createdAt",
              (SELECT count(*) FROM memberships m WHERE m.org_id = o.id)::int AS members,
              (SELECT count(*) FROM sites s WHERE s.org_id = o.id AND s.deleted_at IS NULL)::int AS sites
         FROM orgs o
        WHERE o.name ILIKE $1
           OR o.id IN (SELECT s.org_id FROM sites s WHERE s.domain ILIKE $1 AND s.deleted_at IS NULL)
           OR o.id IN (SELECT m.org_id FROM memberships m JOIN users u ON u.id = m.user_id
                        WHERE u.email ILIKE $1 OR u.name ILIKE $1)
        ORDER BY o.name, o.id LIMIT ${SEARCH_LIMIT}`,
      [likePattern(query)],
    )) as Array<{ id: string; name: string; createdAt: Date; members: number; sites: number }>;
    return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  }

  /** Everything but billing, which the service adds from BillingService (the same view owners see). */
  async orgDetail(orgId: string): Promise<Omit<AdminOrgDetail, 'billing'> | null> {
    const [org] = (await this.dataSource.query(
      'SELECT id, name, created_at AS "createdAt" FROM orgs WHERE id = $1',
      [orgId],
    )) as Array<{ id: string; name: string; createdAt: Date }>;
    if (!org) return null;
    const members = (await this.dataSource.query(
      `SELECT ${USER_COLUMNS}, m.role,
              (SELECT max(us.created_at) FROM user_sessions us WHERE us.user_id = u.id) AS "lastSignInAt"
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.org_id = $1 ORDER BY m.created_at, u.email`,
      [orgId],
    )) as Array<UserRow & { role: string; lastSignInAt: Date | null }>;
    const sites = (await this.dataSource.query(
      'SELECT id, domain, created_at AS "createdAt" FROM sites WHERE org_id = $1 AND deleted_at IS NULL ORDER BY domain',
      [orgId],
    )) as Array<{ id: number; domain: string; createdAt: Date }>;
    return {
      id: org.id,
      name: org.name,
      createdAt: org.createdAt.toISOString(),
      members: members.length,
      sites: sites.length,
      memberList: members.map((m) => ({
        ...userSummary(m),
        role: m.role,
        lastSignInAt: m.lastSignInAt?.toISOString() ?? null,
      })),
      siteList: sites.map((s) => ({ id: s.id, domain: s.domain, createdAt: s.createdAt.toISOString() })),
    };
  }

  async userDetail(userId: string): Promise<AdminUserDetail | null> {
    const [user] = (await this.dataSource.query(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [
      userId,
    ])) as UserRow[];
    if (!user) return null;
    const orgs = (await this.dataSource.query(
      `SELECT o.id AS "orgId", o.name AS "orgName", m.role FROM memberships m JOIN orgs o ON o.id = m.org_id
        WHERE m.user_id = $1 ORDER BY o.name`,
      [userId],
    )) as Array<{ orgId: string; orgName: string; role: string }>;
    const sessions = (await this.dataSource.query(
      `SELECT created_at AS at, last_seen_at AS "lastSeenAt", country, device, (revoked_at IS NOT NULL) AS revoked
         FROM user_sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 20`,
      [userId],
    )) as Array<{
      at: Date;
      lastSeenAt: Date;
      country: string | null;
      device: string | null;
      revoked: boolean;
    }>;
    const signIns: AdminSignIn[] = sessions.map((s) => ({
      ...s,
      at: s.at.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
    }));
    return {
      ...userSummary(user),
      blockedAt: user.blockedAt?.toISOString() ?? null,
      blockedReason: user.blockedReason,
      orgs,
      signIns,
    };
  }

  async setBlocked(userId: string, blocked: { at: Date; reason: string } | null): Promise<boolean> {
    const [, affected] = (await this.dataSource.query(
      'UPDATE users SET blocked_at = $2, blocked_reason = $3 WHERE id = $1',
      [userId, blocked?.at ?? null, blocked?.reason ?? null],
    )) as [unknown, number];
    return affected > 0;
  }
}

function userSummary(row: UserRow): AdminUserSummary {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    blocked: row.blockedAt !== null,
    deletionRequestedAt: row.deletedAt?.toISOString() ?? null,
    staff: row.isStaff,
    twoFactorEnabled: row.totp,
  };
}

/** `%query%` with LIKE's own wildcards in the query matched literally. */
function likePattern(query: string): string {
  return `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
