// `node --import tsx libs/backup/src/cli/restore-command.ts <postgres|clickhouse> [--backup ID|latest]
//   [--target-database NAME]` — restores into an EMPTY target (a new Postgres database named by
// DATABASE_URL; for ClickHouse a new database, default CLICKHOUSE_DATABASE) and prints
// `<store>: N rows restored of N`. Exits 1 when the counts differ. See deploy/RUNBOOK.md.
import { parseArgs } from 'node:util';
import { loadBackupConfig } from '@sightline/config';
import type { BackupStore } from '../backup-manifest';
import { runRestore } from '../backup-runner';

export async function restoreCommand(argv: readonly string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      backup: { type: 'string', default: 'latest' },
      'target-database': { type: 'string' },
    },
  });
  const store = positionals[0];
  if (store !== 'postgres' && store !== 'clickhouse') {
    console.error('usage: restore <postgres|clickhouse> [--backup ID|latest] [--target-database NAME]');
    return 2;
  }
  let config;
  try {
    config = loadBackupConfig();
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  try {
    const r = await runRestore(config, store as BackupStore, {
      id: values.backup,
      targetDatabase: values['target-database'],
    });
    for (const t of r.tables.filter((t) => t.expected !== t.restored)) {
      console.error(`${store}: ${t.name}: ${t.restored} rows restored of ${t.expected}`);
    }
    console.log(`${store}: ${r.restoredRows} rows restored of ${r.expectedRows} (${r.manifestKey})`);
    return r.tables.every((t) => t.expected === t.restored) ? 0 : 1;
  } catch (err) {
    console.error(`${store}: restore failed: ${(err as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  restoreCommand(process.argv.slice(2)).then((code) => process.exit(code));
}
