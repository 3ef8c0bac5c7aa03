// `node --import tsx libs/backup/src/cli/backup-command.ts <postgres|clickhouse|all>`
// (in the backup image: `node dist/backup.js <store>`). Configuration from the environment
// (libs/config backup.config.ts). Prints one JSON line per store; exits 1 when any store failed.
import { loadBackupConfig } from '@sightline/config';
import type { BackupStore } from '../backup-manifest';
import { runBackup } from '../backup-runner';

export async function backupCommand(args: readonly string[]): Promise<number> {
  const which = args[0] ?? 'all';
  if (!['postgres', 'clickhouse', 'all'].includes(which)) {
    console.error('usage: backup <postgres|clickhouse|all>');
    return 2;
  }
  let config;
  try {
    config = loadBackupConfig();
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const stores: BackupStore[] = which === 'all' ? ['postgres', 'clickhouse'] : [which as BackupStore];
  let failed = 0;
  for (const store of stores) {
    try {
      const r = await runBackup(config, store);
      console.log(JSON.stringify({ level: 'info', msg: 'backup complete', ...r }));
    } catch (err) {
      failed += 1;
      console.error(
        JSON.stringify({ level: 'error', msg: 'backup failed', store, error: (err as Error).message }),
      );
    }
  }
  return failed > 0 ? 1 : 0;
}

if (require.main === module) {
  backupCommand(process.argv.slice(2)).then((code) => process.exit(code));
}
