import { createGunzip, createGzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { SqlFragment, sql } from '@sightline/clickhouse';
import type { BackupStorage } from './backup-storage';
import {
  MANIFEST_FILE,
  archivePrefix,
  backupId,
  clickhouseManifestSchema,
  type ClickHouseManifest,
  type ClickHouseTableEntry,
} from './backup-manifest';
import type { ClickHouseBackupRepository } from './clickhouse-backup.repository';
import { quoteIdentifier } from './clickhouse-backup.repository';

const INNER_PREFIXES = ['.inner.', '.inner_id.'];
const DATABASE = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function isInnerTable(name: string): boolean {
  return INNER_PREFIXES.some((p) => name.startsWith(p));
}

/** `table`, `view`, `materialized-view` from system.tables' engine. */
export function tableKind(engine: string): ClickHouseTableEntry['kind'] {
  if (engine === 'View') return 'view';
  if (engine === 'MaterializedView') return 'materialized-view';
  return 'table';
}

/** A materialized view with `TO target` keeps no data of its own: the target table is backed up. */
export function hasToTarget(createQuery: string): boolean {
  return /^CREATE MATERIALIZED VIEW\s+\S+\s+TO\s+/i.test(createQuery);
}

/** Rewrites `from.` qualifiers of a CREATE statement to `to.` (restoring into another database). */
export function retargetDatabase(createQuery: string, from: string, to: string): string {
  if (!DATABASE.test(from) || !DATABASE.test(to)) throw new Error('database names must be plain identifiers');
  const qualifier = new RegExp('(^|[\\s(,=])`?' + from + '`?\\.', 'g');
  return createQuery.replace(qualifier, (_m, lead: string) => `${lead}${quoteIdentifier(to)}.`);
}

function gzip(source: Readable): Readable {
  const gz = createGzip();
  source.on('error', (err) => gz.destroy(err));
  return source.pipe(gz);
}

function gunzip(source: Readable): Readable {
  const gz = createGunzip();
  source.on('error', (err) => gz.destroy(err));
  return source.pipe(gz);
}

/**
 * Every table of `database`, partition by partition (`SELECT … WHERE _partition_id = …` in the
 * Native format, gzip), to `<prefix>/clickhouse/<id>/<table>/<partition>.native.gz`, then the
 * manifest with each table's CREATE statement and each partition's row count. Works on 18.16,
 * which has no BACKUP statement, and on current releases. A partition that receives inserts while
 * it is exported may hold a few rows more than the manifest says (the count is read first);
 * closed months are exact.
 */
export async function backupClickHouse(options: {
  repository: ClickHouseBackupRepository;
  storage: BackupStorage;
  database: string;
  prefix: string;
  now?: Date;
}): Promise<ClickHouseManifest> {
  const { repository, storage, database } = options;
  const started = options.now ?? new Date();
  const id = backupId(started);
  const folder = archivePrefix(options.prefix, 'clickhouse', id);
  const serverVersion = await repository.serverVersion();
  const all = await repository.listTables(database);
  const tables: ClickHouseTableEntry[] = [];
  for (const table of all.filter((t) => !isInnerTable(t.name))) {
    const kind = tableKind(table.engine);
    const entry: ClickHouseTableEntry = {
      name: table.name,
      engine: table.engine,
      kind,
      createQuery: table.createQuery,
      partitions: [],
    };
    tables.push(entry);
    if (kind === 'view' || (kind === 'materialized-view' && hasToTarget(table.createQuery))) continue;
    // A materialized view's own rows live in its `.inner.` table (18.16 and Ordinary databases).
    const storageName = kind === 'materialized-view' ? `.inner.${table.name}` : table.name;
    if (kind === 'materialized-view' && !all.some((t) => t.name === storageName)) {
      throw new Error(`materialized view ${table.name}: no ${storageName} table; give it a TO table`);
    }
    const columns = await repository.storedColumns(database, storageName);
    const isMergeTree = /MergeTree$/.test(table.engine) || kind === 'materialized-view';
    const partitions = isMergeTree
      ? await repository.listPartitions(database, storageName)
      : [{ id: 'all', rows: await repository.countRows(database, storageName) }];
    for (const partition of partitions) {
      const key = `${folder}${table.name}/${partition.id}.native.gz`;
      const data = await repository.exportNative(
        database,
        storageName,
        columns,
        isMergeTree ? partition.id : null,
      );
      const bytes = await storage.putStream(key, gzip(data), 'application/gzip');
      entry.partitions.push({ id: partition.id, key, rows: partition.rows, bytes });
    }
  }
  const manifest: ClickHouseManifest = {
    format: 'sightline-backup/1',
    store: 'clickhouse',
    id,
    createdAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    database,
    serverVersion,
    tables,
  };
  await storage.putJson(`${folder}${MANIFEST_FILE}`, manifest);
  return manifest;
}

export interface ClickHouseRestoreReport {
  tables: { name: string; expected: number; restored: number }[];
  expectedRows: number;
  restoredRows: number;
}

/**
 * Restores an archive into `targetDatabase`, which must not exist or be empty (never over live
 * data). Order: plain tables are created and loaded first, then views and materialized views are
 * created (so loading a source table does not feed a view a second time), then the views' own
 * rows are loaded. Returns each table's rows against the manifest.
 */
export async function restoreClickHouse(options: {
  repository: ClickHouseBackupRepository;
  storage: BackupStorage;
  manifestKey: string;
  targetDatabase: string;
}): Promise<ClickHouseRestoreReport> {
  const { repository, storage, targetDatabase } = options;
  const manifest = clickhouseManifestSchema.parse(await storage.getJson(options.manifestKey));
  if (await repository.databaseExists(targetDatabase)) {
    const existing = await repository.listTables(targetDatabase);
    if (existing.length > 0) {
      throw new Error(
        `refusing to restore into ${targetDatabase}: it has ${existing.length} table(s); ` +
          'restore into a new database and switch CLICKHOUSE_DATABASE over',
      );
    }
  }
  await repository.createDatabase(targetDatabase);
  const plain = manifest.tables.filter((t) => t.kind === 'table');
  const views = manifest.tables.filter((t) => t.kind !== 'table');
  const load = async (table: ClickHouseTableEntry) => {
    const columns = await repository.storedColumns(
      targetDatabase,
      table.kind === 'materialized-view' ? `.inner.${table.name}` : table.name,
    );
    for (const partition of table.partitions) {
      await repository.importNative(
        targetDatabase,
        table.name,
        columns,
        gunzip(await storage.getStream(partition.key)),
      );
    }
  };
  for (const table of plain) {
    await repository.runDdl(retargetDatabase(table.createQuery, manifest.database, targetDatabase));
    await load(table);
  }
  for (const table of views) {
    await repository.runDdl(retargetDatabase(table.createQuery, manifest.database, targetDatabase));
  }
  for (const table of views) await load(table);

  const report: ClickHouseRestoreReport = { tables: [], expectedRows: 0, restoredRows: 0 };
  for (const table of manifest.tables.filter((t) => t.kind !== 'view')) {
    if (table.kind === 'materialized-view' && hasToTarget(table.createQuery)) continue;
    const expected = table.partitions.reduce((s, p) => s + p.rows, 0);
    const restored = await repository.countRows(
      targetDatabase,
      table.kind === 'materialized-view' ? `.inner.${table.name}` : table.name,
    );
    report.tables.push({ name: table.name, expected, restored });
    report.expectedRows += expected;
    report.restoredRows += restored;
  }
  return report;
}

/**
 * On current ClickHouse releases (23.x and later) the server can write a consistent backup of the
 * whole database straight to S3 itself, incremental and with parts hard-linked rather than
 * re-encoded: `BACKUP DATABASE … TO S3(…)`. 18.16 lacks the statement, hence the export above,
 * which runs on both. The credentials are literals (the statement takes no parameters).
 */
export function nativeBackupStatement(options: {
  database: string;
  url: string;
  accessKeyId: string;
  secretAccessKey: string;
}): string {
  return sql`BACKUP DATABASE ${sqlIdentifier(options.database)} TO S3(${options.url}, ${options.accessKeyId}, ${options.secretAccessKey})`
    .text;
}

export function nativeRestoreStatement(options: {
  database: string;
  targetDatabase: string;
  url: string;
  accessKeyId: string;
  secretAccessKey: string;
}): string {
  return sql`RESTORE DATABASE ${sqlIdentifier(options.database)} AS ${sqlIdentifier(options.targetDatabase)} FROM S3(${options.url}, ${options.accessKeyId}, ${options.secretAccessKey})`
    .text;
}

function sqlIdentifier(name: string): SqlFragment {
  if (!DATABASE.test(name)) throw new Error(`unsupported database name: ${name}`);
  return new SqlFragment(quoteIdentifier(name));
}
