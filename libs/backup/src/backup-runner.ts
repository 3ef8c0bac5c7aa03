import type { BackupConfig } from '@sightline/config';
import { createClickHouseClient } from '@sightline/clickhouse';
import { BackupStorage } from './backup-storage';
import { MANIFEST_FILE, archivePrefix, completeBackupIds, type BackupStore } from './backup-manifest';
import { backupPostgres, restorePostgres } from './postgres-backup';
import { backupClickHouse, restoreClickHouse } from './clickhouse-backup';
import { ClickHouseBackupRepository } from './clickhouse-backup.repository';
import { pushBackupMetrics } from './backup-metrics';

/** What the CLI, a CronJob or a worker job calls: one store, config from libs/config. */
export function storageFromConfig(config: BackupConfig): BackupStorage {
  return new BackupStorage({
    bucket: config.BACKUP_S3_BUCKET,
    endpoint: config.BACKUP_S3_ENDPOINT,
    region: config.BACKUP_S3_REGION,
    forcePathStyle: config.BACKUP_S3_FORCE_PATH_STYLE,
    credentials:
      config.BACKUP_S3_ACCESS_KEY_ID && config.BACKUP_S3_SECRET_ACCESS_KEY
        ? {
            accessKeyId: config.BACKUP_S3_ACCESS_KEY_ID,
            secretAccessKey: config.BACKUP_S3_SECRET_ACCESS_KEY,
          }
        : undefined,
  });
}

export interface BackupResult {
  store: BackupStore;
  id: string;
  bytes: number;
  rows: number;
  durationSeconds: number;
}

/** Backs up one store and pushes the outcome (success or failure) when a Pushgateway is set. */
export async function runBackup(config: BackupConfig, store: BackupStore): Promise<BackupResult> {
  const storage = storageFromConfig(config);
  const started = Date.now();
  const push = async (ok: boolean, bytes: number) => {
    if (!config.BACKUP_PUSHGATEWAY_URL) return;
    await pushBackupMetrics(config.BACKUP_PUSHGATEWAY_URL, {
      store,
      ok,
      bytes,
      durationSeconds: (Date.now() - started) / 1000,
      at: new Date(),
    });
  };
  try {
    let result: BackupResult;
    if (store === 'postgres') {
      const m = await backupPostgres({
        databaseUrl: config.DATABASE_URL,
        storage,
        prefix: config.BACKUP_S3_PREFIX,
      });
      const rows = Object.values(m.tables).reduce((s, n) => s + n, 0);
      result = { store, id: m.id, bytes: m.bytes, rows, durationSeconds: 0 };
    } else {
      const client = clickHouseClient(config);
      try {
        const m = await backupClickHouse({
          repository: new ClickHouseBackupRepository(client),
          storage,
          database: config.CLICKHOUSE_DATABASE,
          prefix: config.BACKUP_S3_PREFIX,
        });
        const parts = m.tables.flatMap((t) => t.partitions);
        result = {
          store,
          id: m.id,
          bytes: parts.reduce((s, p) => s + p.bytes, 0),
          rows: parts.reduce((s, p) => s + p.rows, 0),
          durationSeconds: 0,
        };
      } finally {
        await client.close();
      }
    }
    result.durationSeconds = (Date.now() - started) / 1000;
    await push(true, result.bytes);
    return result;
  } catch (err) {
    await push(false, 0).catch(() => undefined);
    throw err;
  } finally {
    storage.close();
  }
}

/** The manifest key of backup `id`, or of the newest complete one for `latest`. */
export async function resolveManifestKey(
  storage: BackupStorage,
  prefix: string,
  store: BackupStore,
  id: string,
): Promise<string> {
  const ids = completeBackupIds(await storage.listKeys(`${prefix}/${store}/`), prefix, store);
  const chosen = id === 'latest' ? ids.at(-1) : ids.find((i) => i === id);
  if (!chosen) {
    throw new Error(
      id === 'latest'
        ? `no complete ${store} backup under s3://${storage.bucket}/${prefix}/${store}/`
        : `no complete ${store} backup ${id} (have: ${ids.slice(-5).join(', ') || 'none'})`,
    );
  }
  return `${archivePrefix(prefix, store, chosen)}${MANIFEST_FILE}`;
}

export interface RestoreResult {
  store: BackupStore;
  manifestKey: string;
  expectedRows: number;
  restoredRows: number;
  tables: { name: string; expected: number; restored: number }[];
}

/**
 * Restores one store from backup `id` ('latest' by default) into the configured target: for
 * Postgres the (new, empty) database of DATABASE_URL, for ClickHouse `targetDatabase` (default
 * CLICKHOUSE_DATABASE), which must not hold tables.
 */
export async function runRestore(
  config: BackupConfig,
  store: BackupStore,
  options: { id?: string; targetDatabase?: string } = {},
): Promise<RestoreResult> {
  const storage = storageFromConfig(config);
  try {
    const manifestKey = await resolveManifestKey(
      storage,
      config.BACKUP_S3_PREFIX,
      store,
      options.id ?? 'latest',
    );
    if (store === 'postgres') {
      const r = await restorePostgres({ databaseUrl: config.DATABASE_URL, storage, manifestKey });
      return { store, manifestKey, ...r };
    }
    const client = clickHouseClient(config);
    try {
      const r = await restoreClickHouse({
        repository: new ClickHouseBackupRepository(client),
        storage,
        manifestKey,
        targetDatabase: options.targetDatabase ?? config.CLICKHOUSE_DATABASE,
      });
      return { store, manifestKey, ...r };
    } finally {
      await client.close();
    }
  } finally {
    storage.close();
  }
}

function clickHouseClient(config: BackupConfig) {
  // Large partitions stream for a while: a generous request timeout (the export is one request).
  return createClickHouseClient(
    {
      url: config.CLICKHOUSE_URL,
      database: 'default',
      username: config.CLICKHOUSE_USER,
      password: config.CLICKHOUSE_PASSWORD,
    },
    { requestTimeoutMs: 30 * 60_000 },
  );
}
