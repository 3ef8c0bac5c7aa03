import { z } from 'zod';
import { boolFlag, connectionEnv, logLevel, parseEnv } from './env-schema';

/**
 * The backup and restore commands (libs/backup): the stores they read or write, and the
 * S3-compatible bucket the archives go to. Credentials: BACKUP_S3_ACCESS_KEY_ID/SECRET when set,
 * otherwise the AWS SDK's default chain (IRSA web identity, instance profile, AWS_* variables).
 */
/** Compose passes unset variables as empty strings: treat those as not set. */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema);

const backupEnv = z.object({
  ...connectionEnv,
  LOG_LEVEL: logLevel,
  BACKUP_S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
  /** Key prefix inside the bucket; archives go to <prefix>/postgres/<id>/ and <prefix>/clickhouse/<id>/. */
  BACKUP_S3_PREFIX: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9/_-]*[A-Za-z0-9]$/,
      'letters, digits, "/", "_" and "-"; no leading or trailing "/"',
    )
    .default('sightline'),
  /** Any S3-compatible endpoint (R2, Backblaze, Ceph, a local test server); unset means AWS S3. */
  BACKUP_S3_ENDPOINT: unsetIfEmpty(z.string().url().optional()),
  BACKUP_S3_REGION: z.string().min(1).default('us-east-1'),
  /** Path-style URLs (endpoint/bucket/key): most non-AWS servers need it. */
  BACKUP_S3_FORCE_PATH_STYLE: boolFlag(false),
  BACKUP_S3_ACCESS_KEY_ID: unsetIfEmpty(z.string().min(1).optional()),
  BACKUP_S3_SECRET_ACCESS_KEY: unsetIfEmpty(z.string().min(1).optional()),
  /** Prometheus Pushgateway for the CronJobs' last-success/duration/size metrics; unset: not pushed. */
  BACKUP_PUSHGATEWAY_URL: unsetIfEmpty(z.string().url().optional()),
});

export type BackupConfig = z.infer<typeof backupEnv>;

export function loadBackupConfig(env: NodeJS.ProcessEnv = process.env): BackupConfig {
  return parseEnv(backupEnv, env, 'backup');
}
