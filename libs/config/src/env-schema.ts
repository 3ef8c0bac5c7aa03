import { z } from 'zod';

/** Parse `env` with `schema` once at boot; a bad variable stops the process with every problem listed. */
export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv, app: string): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`)
      .join('\n');
    throw new Error(`Invalid configuration for ${app}:\n${problems}`);
  }
  return result.data;
}

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
export const boolFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', ''])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/** ClickHouse database names end up in DDL, so only plain identifiers are allowed. */
export const identifier = (fallback: string) =>
  z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*)')
    .default(fallback);

/** The BullMQ queue the workers consume; the api enqueues work there too (tests use their own). */
export const workersQueue = z
  .string()
  .regex(/^[a-z0-9-]{1,64}$/)
  .default('sightline-jobs');

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

/**
 * Stats queries (the API's and the email reports') sample a site's visitors when a range holds more
 * than QUERY_SAMPLE_ABOVE_ROWS events, down to about QUERY_SAMPLE_TARGET_ROWS rows. Unset: the
 * query engine's defaults (1,000,000 and 300,000; README "Sampling").
 */
export const querySamplingEnv = {
  QUERY_SAMPLE_ABOVE_ROWS: z.coerce.number().int().positive().optional(),
  QUERY_SAMPLE_TARGET_ROWS: z.coerce.number().int().positive().optional(),
};

export const connectionEnv = {
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/sightline'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379/0'),
  CLICKHOUSE_URL: z.string().url().default('http://127.0.0.1:8123'),
  CLICKHOUSE_DATABASE: identifier('sightline'),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
};

/**
 * The environment this process was started with, for handing on to child processes (tests start
 * the real services as children). Reading it stays in this module, like all other reads.
 */
export function inheritedEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env };
}

/**
 * Key for HMAC-signed links (email unsubscribe). Required in production; elsewhere a fixed,
 * public development key is used, so links work locally without set-up (and mean nothing elsewhere).
 */
export const DEV_SIGNING_SECRET = 'sightline-development-signing-secret-not-for-production';
export const signingSecretEnv = {
  NODE_ENV: z.string().default('development'),
  SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
};

/** The signing secret of a parsed config: the configured one, or the development key outside production. */
export function signingSecret(config: { NODE_ENV: string; SIGNING_SECRET?: string | undefined }): string {
  if (config.SIGNING_SECRET) return config.SIGNING_SECRET;
  if (config.NODE_ENV === 'production')
    throw new Error('Invalid configuration: SIGNING_SECRET is required when NODE_ENV=production');
  return DEV_SIGNING_SECRET;
}
