import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface OrgSites {
  orgId: string;
  siteIds: number[];
}

/** Postgres side of the retention sweep: soft-deleted sites out, their rows removed at the end. */
@Injectable()
export class SiteDeletionRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Sites deleted at least `graceMs` ago (the ingest caches sites briefly), oldest first. */
  async deletedSites(before: Date, limit: number): Promise<number[]> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM sites WHERE deleted_at IS NOT NULL AND deleted_at <= $1 ORDER BY deleted_at, id LIMIT $2`,
      [before.toISOString(), limit],
    )) as { id: number }[];
    return rows.map((r) => Number(r.id));
  }

  /** Removes the rows of sites whose data is gone (only rows that are still soft-deleted). */
  async removeSites(ids: readonly number[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = (await this.dataSource.query(
      'DELETE FROM sites WHERE id = ANY($1::int[]) AND deleted_at IS NOT NULL RETURNING id',
      [ids],
    )) as [unknown[], number] | unknown[];
    return Array.isArray(result[0]) ? (result[0] as unknown[]).length : result.length;
  }

  /** Every org with its live sites (for retention). */
  async orgsWithSites(): Promise<OrgSites[]> {
    const rows = (await this.dataSource.query(
      `SELECT org_id AS "orgId", array_agg(id ORDER BY id) AS "siteIds"
         FROM sites WHERE deleted_at IS NULL GROUP BY org_id ORDER BY org_id`,
    )) as { orgId: string; siteIds: number[] }[];
    return rows.map((r) => ({ orgId: r.orgId, siteIds: r.siteIds.map(Number) }));
  }
}
