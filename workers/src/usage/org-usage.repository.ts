import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface OrgForMetering {
  orgId: string;
  /** billing_anchor_at, else created_at. */
  anchor: Date;
  /** Every site of the org, soft-deleted ones included (their events were billable until deleted). */
  siteIds: number[];
}

export interface UsageCycleRow {
  orgId: string;
  cycleStart: Date;
  cycleEnd: Date;
  events: number;
}

/** Postgres side of usage metering: orgs with their anchors and sites in, usage_cycles out. */
@Injectable()
export class OrgUsageRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async listOrgs(): Promise<OrgForMetering[]> {
    const rows = (await this.dataSource.query(
      `SELECT o.id AS "orgId", COALESCE(o.billing_anchor_at, o.created_at) AS anchor,
              COALESCE(array_agg(s.id ORDER BY s.id) FILTER (WHERE s.id IS NOT NULL), '{}') AS "siteIds"
         FROM orgs o LEFT JOIN sites s ON s.org_id = o.id
        GROUP BY o.id ORDER BY o.id`,
    )) as { orgId: string; anchor: Date; siteIds: number[] }[];
    return rows.map((r) => ({ orgId: r.orgId, anchor: new Date(r.anchor), siteIds: r.siteIds.map(Number) }));
  }

  /** One statement for all rows; a rerun overwrites the same (org, cycle) rows with fresh counts. */
  async upsertCycles(rows: readonly UsageCycleRow[], computedAt: Date): Promise<number> {
    if (rows.length === 0) return 0;
    await this.dataSource.query(
      `INSERT INTO usage_cycles (org_id, cycle_start, cycle_end, events, computed_at)
       SELECT org_id, cycle_start, cycle_end, events, $5
         FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::bigint[])
           AS t(org_id, cycle_start, cycle_end, events)
        WHERE EXISTS (SELECT 1 FROM orgs WHERE orgs.id = t.org_id)
       ON CONFLICT (org_id, cycle_start)
       DO UPDATE SET cycle_end = EXCLUDED.cycle_end, events = EXCLUDED.events, computed_at = EXCLUDED.computed_at`,
      [
        rows.map((r) => r.orgId),
        rows.map((r) => r.cycleStart.toISOString()),
        rows.map((r) => r.cycleEnd.toISOString()),
        rows.map((r) => String(r.events)),
        computedAt.toISOString(),
      ],
    );
    return rows.length;
  }
}
