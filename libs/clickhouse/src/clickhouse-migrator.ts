import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClickHouseClient } from './clickhouse-client';
import { sql } from './sql-literal';

export const CLICKHOUSE_MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const MIGRATION_FILE = /^(\d{3,})_[a-z0-9_]+\.sql$/;

export interface MigrationFile {
  version: number;
  name: string;
  statements: string[];
}

/** `NNN_name.sql` files in order; statements are separated by a `;` at the end of a line. */
export async function readMigrationFiles(dir = CLICKHOUSE_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const match = MIGRATION_FILE.exec(name);
    if (!match) throw new Error(`ClickHouse migration ${name} does not match NNN_snake_name.sql`);
    const text = await readFile(join(dir, name), 'utf8');
    const statements = text
      .split(/;\s*$/m)
      .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
      .filter((s) => s.length > 0);
    files.push({ version: Number(match[1]), name, statements });
  }
  const versions = new Set(files.map((f) => f.version));
  if (versions.size !== files.length) throw new Error('Two ClickHouse migrations share a version number');
  return files;
}

/**
 * Creates the database if needed and applies the migrations not yet recorded in
 * `schema_migrations`. The client must be created for `database`; the database name is validated
 * as a plain identifier because DDL cannot take it as a literal.
 */
export async function migrateClickHouse(
  adminClient: ClickHouseClient,
  client: ClickHouseClient,
  database: string,
  dir = CLICKHOUSE_MIGRATIONS_DIR,
): Promise<string[]> {
  if (!DATABASE_NAME.test(database)) throw new Error(`Invalid ClickHouse database name: ${database}`);
  await adminClient.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  await client.command({
    query:
      'CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, name String, applied_at DateTime) ' +
      'ENGINE = MergeTree() ORDER BY version',
  });
  const result = await client.query({
    query: 'SELECT version FROM schema_migrations',
    format: 'JSONEachRow',
  });
  const applied = new Set((await result.json<{ version: number }>()).map((r) => Number(r.version)));
  const done: string[] = [];
  for (const file of await readMigrationFiles(dir)) {
    if (applied.has(file.version)) continue;
    for (const statement of file.statements) await client.command({ query: statement });
    await client.command({
      query:
        sql`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${file.version}, ${file.name}, ${new Date()})`
          .text,
    });
    done.push(file.name);
  }
  return done;
}
