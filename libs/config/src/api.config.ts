import { z } from 'zod';
import { billingEnv, billingSettings, type BillingSettings } from './billing.config';
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

const apiEnv = z.object({
  ...connectionEnv,
  ...querySamplingEnv,
  ...signingSecretEnv,
  LOG_LEVEL: logLevel,
  SENTRY_DSN: z.string().url().optional(),
  API_HOST: z.string().default('0.0.0.0'),
  API_PORT: port(4000),
  /** Internal port with /metrics; not exposed to the internet. */
  API_METRICS_PORT: port(9103),
  /** Where people open the dashboard; used in email links and as the allowed `Origin`. */
  PUBLIC_APP_URL: z.string().url().default('http://localhost:3000'),
  /** Where the tracking script and event endpoint live; used in the snippet. */
  PUBLIC_INGEST_URL: z.string().url().default('http://localhost:4100'),
  /** Further origins allowed to make cookie-authenticated requests (comma-separated). */
  EXTRA_ALLOWED_ORIGINS: z.string().default(''),
  /** Secure cookies need HTTPS; defaults to whether PUBLIC_APP_URL is https. */
  SESSION_COOKIE_SECURE: z.enum(['true', 'false', '']).optional(),
  SESSION_IDLE_DAYS: positiveInt(14),
  SESSION_ABSOLUTE_DAYS: positiveInt(60),
  INVITE_ONLY: boolFlag(false),
  /** smtp(s)://user:pass@host:port; without it mail is written to MAIL_DIR and logged (development). */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('Sightline <no-reply@sightline.test>'),
  MAIL_DIR: z.string().default('.data/mail'),
  /** Requests per minute per API key on the stats API. */
  API_KEY_RATE_LIMIT_PER_MINUTE: positiveInt(600),
  /** Failed log-ins per 15 minutes per IP and email before 429. */
  LOGIN_ATTEMPTS_PER_15_MIN: positiveInt(10),
  /** Sign-in attempts per 15 minutes from one IP over all emails (password spraying, argon2 CPU). */
  LOGIN_ATTEMPTS_PER_IP_PER_15_MIN: positiveInt(50),
  /** Sign-in attempts per hour on one account from all addresses (distributed guessing). */
  LOGIN_ATTEMPTS_PER_ACCOUNT_PER_HOUR: positiveInt(50),
  /** New accounts per hour from one IP address (sign-up spam). */
  SIGNUPS_PER_HOUR_PER_IP: positiveInt(20),
  /** Redis pub/sub channel prefix the flusher publishes stored events on. */
  LIVE_EVENTS_CHANNEL: z.string().min(1).default('sightline:live'),
  /** How many reverse proxies in front of the API append to X-Forwarded-For (0 = none trusted). */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  ...billingEnv,
  /** The workers' BullMQ queue; verified Stripe webhooks are handed to its stripe-event job. */
  WORKERS_QUEUE: workersQueue,
  /**
   * Multiplies every per-route @RateLimit budget (README "Rate limits"). 1 in production; test
   * stacks that run every client from one address raise it, and the rate-limit tests keep it at 1.
   */
  RATE_LIMIT_SCALE: positiveInt(1),
  /** Realtime WebSockets one user may hold open at once per API process. */
  REALTIME_SOCKETS_PER_USER: positiveInt(10),
  /** How often open realtime sockets re-check their session and site access (revocations also close them at once). */
  REALTIME_RECHECK_SECONDS: positiveInt(60),
  /**
   * The ClickHouse user of the API's stats queries: read-only, with max_execution_time and
   * max_memory_usage (README "Security"). Empty: CLICKHOUSE_USER / CLICKHOUSE_PASSWORD.
   */
  API_CLICKHOUSE_USER: z.string().default(''),
  API_CLICKHOUSE_PASSWORD: z.string().default(''),
});

export type ApiConfig = z.infer<typeof apiEnv> & {
  sessionCookieSecure: boolean;
  /** `__Host-sl_session` when the cookie is Secure, else `sl_session` (README "Security"). */
  sessionCookieName: string;
  allowedOrigins: string[];
  /** SIGNING_SECRET, or the development key outside production (signed links in mails). */
  signingKey: string;
  /** null when STRIPE_SECRET_KEY is not set (billing off). */
  billing: BillingSettings | null;
};

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const config = parseEnv(apiEnv, env, 'api');
  const appOrigin = new URL(config.PUBLIC_APP_URL).origin;
  const extra = config.EXTRA_ALLOWED_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => new URL(o).origin);
  const sessionCookieSecure = config.SESSION_COOKIE_SECURE
    ? config.SESSION_COOKIE_SECURE === 'true'
    : appOrigin.startsWith('https:');
  return {
    ...config,
    sessionCookieSecure,
    // Same strings as SESSION_COOKIE / SECURE_SESSION_COOKIE in @sightline/api-contract.
    sessionCookieName: sessionCookieSecure ? '__Host-sl_session' : 'sl_session',
    allowedOrigins: [appOrigin, ...extra],
    signingKey: signingSecret(config),
    billing: billingSettings(config),
  };
}
