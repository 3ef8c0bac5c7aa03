import { z } from 'zod';
import {
  boolFlag,
  connectionEnv,
  logLevel,
  parseEnv,
  port,
  positiveInt,
  querySamplingEnv,
  signingSecret,
  signingSecretEnv,
  workersQueue,
} from './env-schema';
import { billingEnv, billingSettings, type BillingSettings } from './billing.config';

const workersEnv = z.object({
  ...connectionEnv,
  ...querySamplingEnv,
  ...signingSecretEnv,
  LOG_LEVEL: logLevel,
  SENTRY_DSN: z.string().url().optional(),
  WORKERS_HOST: z.string().default('0.0.0.0'),
  /** Internal port with /metrics, /healthz and /readyz; not exposed to the internet. */
  WORKERS_METRICS_PORT: port(9104),
  /** The BullMQ queue every job runs on (tests use their own). */
  WORKERS_QUEUE: workersQueue,
  /**
   * Register the job schedulers at start-up. `false`: this process only runs jobs others queue
   * (Stripe events) and ticks registered elsewhere (tests that drive scheduled jobs by hand).
   */
  WORKERS_SCHEDULERS: boolFlag(true),
  /** Jobs one worker process runs at the same time. */
  WORKERS_CONCURRENCY: positiveInt(2),
  /** A job whose worker stops renewing its lock this long (killed) is taken over by another worker. */
  WORKERS_LOCK_MS: positiveInt(30_000),
  WORKERS_STALLED_CHECK_MS: positiveInt(30_000),
  /** On SIGTERM, running jobs get this long to finish before the process exits anyway. */
  WORKERS_SHUTDOWN_TIMEOUT_MS: positiveInt(25_000),
  /** First retry delay of a failed job; it doubles on each further attempt. */
  WORKERS_RETRY_BACKOFF_MS: positiveInt(30_000),
  /** Where links in emails point (the dashboard; /api is served on the same origin). */
  PUBLIC_APP_URL: z.string().url().default('http://localhost:3000'),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('Sightline <no-reply@sightline.test>'),
  MAIL_DIR: z.string().default('.data/mail'),
  /** Comma-separated addresses that receive the daily staff digest (none: the digest is skipped). */
  STAFF_EMAILS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().email())),
  /** Days of events kept for an org (until plans set their own limit). */
  RETENTION_DAYS_DEFAULT: positiveInt(730),
  /** A deleted site is swept this long after its deletion (the ingest caches sites for a minute). */
  RETENTION_DELETED_SITE_GRACE_SECONDS: z.coerce.number().int().min(0).default(900),
  /** Deleted sites removed from ClickHouse per mutation by the retention sweep. */
  RETENTION_SITES_PER_MUTATION: positiveInt(100),
  /** Redis list the flusher moves rows ClickHouse rejected to (counted by the staff digest). */
  DEAD_LETTER_KEY: z.string().min(1).default('sightline:events:dead'),
  /** The stripe-event job fetches subscriptions with the api's Stripe settings. */
  ...billingEnv,
});

const JOB_NAME = /^[a-z0-9-]+$/;

export type WorkersConfig = z.infer<typeof workersEnv> & {
  /** `JOB_HEARTBEAT_URL_USAGE_METERING=https://hc-ping.com/...`: pinged after each success of that job. */
  heartbeatUrls: Record<string, string>;
  /** `JOB_EVERY_MS_USAGE_METERING=1000`: replaces a job's schedule with a fixed interval (tests, debugging). */
  everyMsOverrides: Record<string, number>;
  /** SIGNING_SECRET, or the development key outside production. */
  signingKey: string;
  /** null when STRIPE_SECRET_KEY is not set (billing off). */
  billing: BillingSettings | null;
};

/** `USAGE_METERING` → `usage-metering`. */
function jobNameFromEnvSuffix(suffix: string): string {
  return suffix.toLowerCase().replace(/_/g, '-');
}

export function loadWorkersConfig(env: NodeJS.ProcessEnv = process.env): WorkersConfig {
  const config = parseEnv(workersEnv, env, 'workers');
  const heartbeatUrls: Record<string, string> = {};
  const everyMsOverrides: Record<string, number> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    const heartbeat = /^JOB_HEARTBEAT_URL_([A-Z0-9_]+)$/.exec(key);
    const every = /^JOB_EVERY_MS_([A-Z0-9_]+)$/.exec(key);
    if (heartbeat?.[1]) {
      const name = jobNameFromEnvSuffix(heartbeat[1]);
      if (!z.string().url().safeParse(value).success || !/^https?:/.test(value) || !JOB_NAME.test(name))
        problems.push(`  ${key}: must be an http(s) URL`);
      else heartbeatUrls[name] = value;
    } else if (every?.[1]) {
      const ms = Number(value);
      if (!Number.isInteger(ms) || ms < 100) problems.push(`  ${key}: must be an integer >= 100`);
      else everyMsOverrides[jobNameFromEnvSuffix(every[1])] = ms;
    }
  }
  if (problems.length > 0) throw new Error(`Invalid configuration for workers:\n${problems.join('\n')}`);
  return {
    ...config,
    heartbeatUrls,
    everyMsOverrides,
    signingKey: signingSecret(config),
    billing: billingSettings(config),
  };
}
