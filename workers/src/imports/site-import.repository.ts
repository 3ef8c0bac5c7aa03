import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IMPORTED_TABLES, sql, tableIdentifier, type ClickHouseClient } from '@sightline/clickhouse';
import type { SiteImportSource } from '@sightline/database';
import { CLICKHOUSE } from '../jobs/tokens';
import type { ImportedRow } from './umami-aggregator';

export interface ClaimedImport {
  id: number;
  siteId: number;
  source: SiteImportSource;
  fileName: string;
  timezone: string;
}

/**
 * Postgres (site_imports) and ClickHouse (imported_*) sides of the import job. Rows of an import
 * are visible to queries only once its status is `completed` (the api passes completed import
 * ids to the query engine), so a running or failed import's rows are never counted.
 */
@Injectable()
export class SiteImportRepository {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
  ) {}

  /**
   * Takes the oldest queued import (or one whose worker stopped reporting progress before
   * `staleBefore`: killed mid-run), marking it running. Safe with concurrent workers.
   */
  async claimNext(staleBefore: Date): Promise<(ClaimedImport & { wasRunning: boolean }) | null> {
    const rows = (await this.dataSource.query(
      `WITH next AS (
         SELECT i.id, i.status FROM site_imports i
          WHERE i.status = 'queued' OR (i.status = 'running' AND i.updated_at < $1)
          ORDER BY i.id
          FOR UPDATE SKIP LOCKED
          LIMIT 1)
       UPDATE site_imports i SET status = 'running', progress = 0, rows_read = 0, updated_at = now()
         FROM next, sites s
        WHERE i.id = next.id AND s.id = i.site_id
       RETURNING i.id, i.site_id AS "siteId", i.source, i.file_name AS "fileName", s.timezone,
                 next.status = 'running' AS "wasRunning"`,
      [staleBefore],
    )) as [(ClaimedImport & { wasRunning: boolean })[], number] | (ClaimedImport & { wasRunning: boolean })[];
    const list = Array.isArray(rows[0])
      ? (rows[0] as (ClaimedImport & { wasRunning: boolean })[])
      : (rows as (ClaimedImport & { wasRunning: boolean })[]);
    return list[0] ?? null;
  }

  async file(id: number): Promise<Buffer | null> {
    const rows = (await this.dataSource.query('SELECT file FROM site_imports WHERE id = $1', [id])) as {
      file: Buffer | null;
    }[];
    return rows[0]?.file ?? null;
  }

  /** Progress while running; also the heartbeat that keeps another worker from taking it over. */
  async progress(id: number, progress: number, rowsRead: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE site_imports SET progress = $2, rows_read = $3, updated_at = now() WHERE id = $1 AND status = 'running'`,
      [id, Math.max(0, Math.min(99, Math.floor(progress))), rowsRead],
    );
  }

  async complete(
    id: number,
    result: { rowsRead: number; rowsImported: number; startDate: string | null; endDate: string | null },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE site_imports SET status = 'completed', progress = 100, rows_read = $2, rows_imported = $3,
              start_date = $4, end_date = $5, file = NULL, error = NULL, finished_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'running'`,
      [id, result.rowsRead, result.rowsImported, result.startDate, result.endDate],
    );
  }

  async fail(id: number, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE site_imports SET status = 'failed', rows_imported = 0, file = NULL, error = $2, finished_at = now(),
              updated_at = now()
        WHERE id = $1 AND status = 'running'`,
      [id, error.slice(0, 1000)],
    );
  }

  /**
   * Imports the owner deleted: their rows go, then the record. One deleted while it ran waits
   * until its worker has stopped writing (it sets finished_at) or is gone (stale).
   */
  async deleting(limit: number, staleBefore: Date): Promise<{ id: number; siteId: number }[]> {
    return (await this.dataSource.query(
      `SELECT id, site_id AS "siteId" FROM site_imports
        WHERE status = 'deleting' AND (finished_at IS NOT NULL OR updated_at < $2)
        ORDER BY id LIMIT $1`,
      [limit, staleBefore],
    )) as { id: number; siteId: number }[];
  }

  /** The worker of an import deleted while it ran has stopped writing: its rows can go. */
  async markStopped(id: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE site_imports SET finished_at = now() WHERE id = $1 AND status = 'deleting'`,
      [id],
    );
  }

  async remove(id: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM site_imports WHERE id = $1 AND status = 'deleting'`, [id]);
  }

  /** Whether the import still exists in this status (an owner can delete it while it runs). */
  async statusOf(id: number): Promise<string | null> {
    const rows = (await this.dataSource.query('SELECT status FROM site_imports WHERE id = $1', [id])) as {
      status: string;
    }[];
    return rows[0]?.status ?? null;
  }

  /** One INSERT of rows (already validated) into an imported_* table, as JSONEachRow. */
  async insertRows(
    table: string,
    siteId: number,
    importId: number,
    rows: readonly ImportedRow[],
  ): Promise<void> {
    if (rows.length === 0) return;
    if (!IMPORTED_TABLES.includes(table)) throw new TypeError(`not an imported table: ${table}`);
    const body = Readable.from(
      (function* () {
        let chunk = '';
        for (const row of rows) {
          chunk += JSON.stringify({ site_id: siteId, import_id: importId, ...row }) + '\n';
          if (chunk.length > 64 * 1024) {
            yield chunk;
            chunk = '';
          }
        }
        if (chunk) yield chunk;
      })(),
    );
    const result = await this.clickhouse.exec({
      query: `INSERT INTO ${tableIdentifier(table).text} FORMAT JSONEachRow`,
      values: body,
    });
    result.stream.resume();
    await new Promise<void>((resolve, reject) => {
      result.stream.once('end', resolve);
      result.stream.once('error', reject);
    });
  }

  /** Deletes an import's rows from every imported_* table and waits until the mutations are done. */
  async deleteImportRows(siteId: number, importId: number, signal: AbortSignal): Promise<void> {
    for (const table of IMPORTED_TABLES) {
      const where = sql`site_id = ${siteId} AND import_id = ${importId}`;
      const count = await this.select<{ c: string }>(
        sql`SELECT count() AS c FROM ${tableIdentifier(table)} WHERE ${where}`,
      );
      if (Number(count[0]?.c ?? 0) === 0) continue;
      await this.clickhouse.command({
        query: sql`ALTER TABLE ${tableIdentifier(table)} DELETE WHERE ${where}`.text,
      });
    }
    for (const table of IMPORTED_TABLES) {
      for (;;) {
        const pending = await this.select<{ c: string }>(
          sql`SELECT count() AS c FROM system.mutations WHERE database = currentDatabase() AND table = ${table} AND is_done = 0`,
        );
        if (Number(pending[0]?.c ?? 0) === 0) break;
        signal.throwIfAborted();
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  async countImportRows(siteId: number, importId: number): Promise<number> {
    let total = 0;
    for (const table of IMPORTED_TABLES) {
      const rows = await this.select<{ c: string }>(
        sql`SELECT count() AS c FROM ${tableIdentifier(table)} WHERE site_id = ${siteId} AND import_id = ${importId}`,
      );
      total += Number(rows[0]?.c ?? 0);
    }
    return total;
  }

  private async select<T>(query: ReturnType<typeof sql>): Promise<T[]> {
    const rs = await this.clickhouse.query({ query: query.text, format: 'JSONEachRow' });
    return rs.json<T>();
  }
}
