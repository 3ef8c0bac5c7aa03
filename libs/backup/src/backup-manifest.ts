import { z } from 'zod';

/**
 * Every archive is a folder `<prefix>/<store>/<id>/` whose `manifest.json` is written LAST: a folder
 * without one is an interrupted run and is never restored from. Ids sort by time
 * (`2026-12-05T03-00-00-000Z`), so the newest complete backup is the greatest id with a manifest.
 */
export const MANIFEST_FILE = 'manifest.json';

const partitionSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]+$/),
  key: z.string().min(1),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});

const tableSchema = z.object({
  name: z.string().min(1),
  engine: z.string().min(1),
  /** `table`: data restored by partition; `view`: recreated only; `materialized-view`: recreated after
   *  the tables are loaded (so restoring a source table does not feed the view twice), its own
   *  storage (`.inner.` table) restored after it. */
  kind: z.enum(['table', 'view', 'materialized-view', 'inner-table']),
  createQuery: z.string().min(1),
  partitions: z.array(partitionSchema),
});

export const postgresManifestSchema = z.object({
  format: z.literal('sightline-backup/1'),
  store: z.literal('postgres'),
  id: z.string(),
  createdAt: z.string(),
  finishedAt: z.string(),
  database: z.string(),
  dumpKey: z.string(),
  bytes: z.number().int().nonnegative(),
  /** Row count per table at dump time (exact: pg_dump reads one snapshot; the counts another). */
  tables: z.record(z.string(), z.number().int().nonnegative()),
});

export const clickhouseManifestSchema = z.object({
  format: z.literal('sightline-backup/1'),
  store: z.literal('clickhouse'),
  id: z.string(),
  createdAt: z.string(),
  finishedAt: z.string(),
  database: z.string(),
  serverVersion: z.string(),
  tables: z.array(tableSchema),
});

export type PostgresManifest = z.infer<typeof postgresManifestSchema>;
export type ClickHouseManifest = z.infer<typeof clickhouseManifestSchema>;
export type ClickHouseTableEntry = z.infer<typeof tableSchema>;
export type BackupStore = 'postgres' | 'clickhouse';

/** A sortable, key-safe id from a time: 2026-12-05T03:00:00.000Z → 2026-12-05T03-00-00-000Z. */
export function backupId(at: Date): string {
  return at.toISOString().replace(/[:.]/g, '-');
}

export function archivePrefix(prefix: string, store: BackupStore, id: string): string {
  return `${prefix}/${store}/${id}/`;
}

/** The ids of complete archives (with a manifest), oldest first. */
export function completeBackupIds(keys: readonly string[], prefix: string, store: BackupStore): string[] {
  const base = `${prefix}/${store}/`;
  const ids = new Set<string>();
  for (const key of keys) {
    if (!key.startsWith(base)) continue;
    const rest = key.slice(base.length).split('/');
    if (rest.length === 2 && rest[1] === MANIFEST_FILE && rest[0]) ids.add(rest[0]);
  }
  return [...ids].sort();
}
