import { Inject, Injectable } from '@nestjs/common';
import {
  joinSql,
  sql,
  tableIdentifier,
  type ClickHouseClient,
  type SiteScopedTable,
  type SqlFragment,
} from '@sightline/clickhouse';
import { CLICKHOUSE } from '../jobs/tokens';

/**
 * ClickHouse side of the retention sweep. Mutations (ALTER TABLE ... DELETE) rewrite parts in the
 * background; the sweep starts one only when none is pending on the table and waits for it, so
 * deletions never pile up. Works on 18.16 (system.mutations, is_done) and current releases.
 */
@Injectable()
export class ClickHouseRetentionRepository {
  constructor(@Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient) {}

  async pendingMutations(table: SiteScopedTable): Promise<number> {
    const rows = await this.select<{ c: string }>(
      sql`SELECT count() AS c FROM system.mutations WHERE database = currentDatabase() AND table = ${table.name} AND is_done = 0`,
    );
    return Number(rows[0]?.c ?? 0);
  }

  /** Polls until no mutation is pending on the table; throws when `signal` aborts (job timeout). */
  async waitForMutations(table: SiteScopedTable, signal: AbortSignal, pollMs = 500): Promise<void> {
    while ((await this.pendingMutations(table)) > 0) {
      signal.throwIfAborted();
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  async countSiteRows(table: SiteScopedTable, siteIds: readonly number[], before?: Date): Promise<number> {
    if (siteIds.length === 0) return 0;
    const rows = await this.select<{ c: string }>(
      sql`SELECT count() AS c FROM ${tableIdentifier(table.name)} WHERE ${this.siteFilter(table, siteIds, before)}`,
    );
    return Number(rows[0]?.c ?? 0);
  }

  /** Starts one mutation deleting these sites' rows (older than `before`, when given). */
  async deleteSiteRows(table: SiteScopedTable, siteIds: readonly number[], before?: Date): Promise<void> {
    if (siteIds.length === 0) return;
    await this.clickhouse.command({
      query:
        sql`ALTER TABLE ${tableIdentifier(table.name)} DELETE WHERE ${this.siteFilter(table, siteIds, before)}`
          .text,
    });
  }

  /** Active monthly partitions of a table, as YYYYMM numbers. */
  async monthlyPartitions(table: SiteScopedTable): Promise<number[]> {
    const rows = await this.select<{ partition: string }>(
      sql`SELECT DISTINCT partition FROM system.parts WHERE database = currentDatabase() AND table = ${table.name} AND active`,
    );
    return rows
      .map((r) => Number(r.partition.replace(/'/g, '')))
      .filter((p) => Number.isInteger(p) && p > 190000);
  }

  async dropMonthlyPartition(table: SiteScopedTable, yyyymm: number): Promise<void> {
    if (!Number.isInteger(yyyymm)) throw new TypeError(`bad partition ${yyyymm}`);
    await this.clickhouse.command({
      query: sql`ALTER TABLE ${tableIdentifier(table.name)} DROP PARTITION ${yyyymm}`.text,
    });
  }

  private siteFilter(table: SiteScopedTable, siteIds: readonly number[], before?: Date): SqlFragment {
    const ids = joinSql(
      siteIds.map((id) => sql`${id}`),
      ', ',
    );
    return before
      ? sql`site_id IN (${ids}) AND ${tableIdentifier(table.timeColumn)} < ${before}`
      : sql`site_id IN (${ids})`;
  }

  private async select<T>(query: SqlFragment): Promise<T[]> {
    const rs = await this.clickhouse.query({ query: query.text, format: 'JSONEachRow' });
    return rs.json<T>();
  }
}
