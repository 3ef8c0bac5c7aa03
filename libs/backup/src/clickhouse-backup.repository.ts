import type { Readable } from 'node:stream';
import { sql, type ClickHouseClient } from '@sightline/clickhouse';

/**
 * Identifiers cannot be literals, so the backup's table, column and database names are checked
 * against a strict pattern (what our migrations create, plus the `.inner.` storage of a
 * materialized view) and back-quoted. Anything else is refused, never interpolated.
 */
const IDENTIFIER = /^\.?[A-Za-z_][A-Za-z0-9_.]{0,127}$/;

export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`unsupported ClickHouse identifier: ${JSON.stringify(name)}`);
  return '`' + name + '`';
}

export interface TableInfo {
  name: string;
  engine: string;
  createQuery: string;
}

export interface PartitionInfo {
  id: string;
  rows: number;
}

/** The ClickHouse reads and writes of backup and restore (the only module here that talks to it). */
export class ClickHouseBackupRepository {
  constructor(private readonly client: ClickHouseClient) {}

  async serverVersion(): Promise<string> {
    const rows = await this.rows<{ v: string }>(sql`SELECT version() AS v`.text);
    return rows[0]?.v ?? 'unknown';
  }

  async databaseExists(database: string): Promise<boolean> {
    const rows = await this.rows<{ n: string }>(
      sql`SELECT count() AS n FROM system.databases WHERE name = ${database}`.text,
    );
    return Number(rows[0]?.n ?? 0) > 0;
  }

  async listTables(database: string): Promise<TableInfo[]> {
    const rows = await this.rows<{ name: string; engine: string; create_table_query: string }>(
      sql`SELECT name, engine, create_table_query FROM system.tables
          WHERE database = ${database} ORDER BY name`.text,
    );
    return rows.map((r) => ({ name: r.name, engine: r.engine, createQuery: r.create_table_query }));
  }

  /** Stored columns in table order (MATERIALIZED and ALIAS columns are computed, not copied). */
  async storedColumns(database: string, table: string): Promise<string[]> {
    const rows = await this.rows<{ name: string }>(
      sql`SELECT name FROM system.columns
          WHERE database = ${database} AND table = ${table}
            AND default_kind NOT IN ('MATERIALIZED', 'ALIAS')`.text,
    );
    return rows.map((r) => r.name);
  }

  /** Active parts grouped by partition: the rows a `SELECT` of that partition returns. */
  async listPartitions(database: string, table: string): Promise<PartitionInfo[]> {
    const rows = await this.rows<{ id: string; rows: string }>(
      sql`SELECT partition_id AS id, toString(sum(rows)) AS rows FROM system.parts
          WHERE database = ${database} AND table = ${table} AND active
          GROUP BY partition_id ORDER BY partition_id`.text,
    );
    return rows.map((r) => ({ id: r.id, rows: Number(r.rows) }));
  }

  async countRows(database: string, table: string): Promise<number> {
    const rows = await this.rows<{ n: string }>(
      `SELECT toString(count()) AS n FROM ${quoteIdentifier(database)}.${quoteIdentifier(table)}`,
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** One partition (or, with `partitionId` null, the whole table) in the Native format, streamed. */
  async exportNative(
    database: string,
    table: string,
    columns: readonly string[],
    partitionId: string | null,
  ): Promise<Readable> {
    const where = partitionId === null ? '' : sql` WHERE _partition_id = ${partitionId}`.text;
    const result = await this.client.exec({
      query: `SELECT ${columns.map(quoteIdentifier).join(', ')} FROM ${quoteIdentifier(database)}.${quoteIdentifier(table)}${where} FORMAT Native`,
    });
    return result.stream;
  }

  async importNative(
    database: string,
    table: string,
    columns: readonly string[],
    data: Readable,
  ): Promise<void> {
    const result = await this.client.exec({
      query: `INSERT INTO ${quoteIdentifier(database)}.${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) FORMAT Native`,
      values: data,
    });
    result.stream.resume();
  }

  async createDatabase(database: string): Promise<void> {
    await this.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(database)}` });
  }

  /** Runs a CREATE statement taken from a backup manifest (already re-targeted at the restore database). */
  async runDdl(statement: string): Promise<void> {
    if (!/^CREATE (TABLE|VIEW|MATERIALIZED VIEW) /.test(statement)) {
      throw new Error(`not a CREATE statement: ${statement.slice(0, 60)}`);
    }
    await this.client.command({ query: statement });
  }

  private async rows<T>(query: string): Promise<T[]> {
    const result = await this.client.query({ query, format: 'JSONEachRow' });
    return result.json<T>();
  }
}
