import { z } from 'zod';
import { boolFlag, connectionEnv, logLevel, parseEnv, port, positiveInt } from './env-schema';

const ingestEnv = z.object({
  ...connectionEnv,
  LOG_LEVEL: logLevel,
  SENTRY_DSN: z.string().url().optional(),
  INGEST_HOST: z.string().default('0.0.0.0'),
  INGEST_PORT: port(4100),
  /** Internal port with /metrics, /healthz and /readyz; not exposed to the internet. */
  INGEST_METRICS_PORT: port(9101),
  FLUSHER_METRICS_PORT: port(9102),
  /**
   * The flusher's ClickHouse user: inserts and its dedup reads, no DDL (`sightline_flusher` in
   * libs/harness/src/stores.mjs and the k8s users). Empty: CLICKHOUSE_USER / CLICKHOUSE_PASSWORD.
   */
  FLUSHER_CLICKHOUSE_USER: z.string().default(''),
  FLUSHER_CLICKHOUSE_PASSWORD: z.string().default(''),
  /** How many reverse proxies in front of the receiver append to X-Forwarded-For (0 = none trusted). */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  EVENTS_STREAM: z.string().min(1).default('sightline:events'),
  EVENTS_CONSUMER_GROUP: z.string().min(1).default('flushers'),
  /** Stable per replica so a restarted flusher picks up its own pending entries first. */
  FLUSHER_CONSUMER: z.string().min(1).optional(),
  FLUSH_BATCH_SIZE: positiveInt(5000),
  FLUSH_INTERVAL_MS: positiveInt(1000),
  /** Entries pending this long on another consumer are assumed orphaned and taken over. */
  FLUSH_RECLAIM_IDLE_MS: positiveInt(30_000),
  FLUSH_MAX_BACKOFF_MS: positiveInt(30_000),
  SITE_CACHE_TTL_MS: positiveInt(60_000),
  /** Where the receiver appends events while Redis is unreachable (one directory per replica). */
  INGEST_SPOOL_DIR: z.string().min(1).default('.data/spool'),
  /**
   * Receiver processes per replica (node:cluster, sharing INGEST_PORT). Above 1 a primary process
   * serves the internal port (metrics summed over the workers) and restarts a worker that dies;
   * worker k > 0 spools to INGEST_SPOOL_DIR/worker-k.
   */
  INGEST_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Set by the receiver's primary on the workers it forks (0-based); not for operators. */
  INGEST_WORKER_SLOT: z.coerce.number().int().min(0).max(63).optional(),
  /** Spool size bound; past it the receiver answers 503 with Retry-After instead of 202. */
  INGEST_SPOOL_MAX_BYTES: positiveInt(256 * 1024 * 1024),
  /** Events one client IP may send per window (all sites together). */
  RATE_LIMIT_PER_IP: positiveInt(100),
  /** Events one site may receive per window, so a flooding site cannot starve the others. */
  RATE_LIMIT_PER_SITE: positiveInt(20_000),
  RATE_LIMIT_WINDOW_SECONDS: positiveInt(10),
  /** Redis with an evicting maxmemory-policy could silently drop buffered events: refuse it unless set. */
  ALLOW_EVICTING_REDIS: boolFlag(false),
  /** Prebuilt tracker; when missing the receiver builds it in memory at boot (development). */
  TRACKER_SCRIPT_FILE: z.string().optional(),
  /** Fault injection for the durability tests only: die right after a ClickHouse insert, before XACK. */
  /** Redis pub/sub channel prefix for events just stored; the API relays them to open dashboards. */
  LIVE_EVENTS_CHANNEL: z.string().min(1).default('sightline:live'),
  FLUSHER_FAULT: z.enum(['none', 'exit-after-insert']).default('none'),
});

export type IngestConfig = z.infer<typeof ingestEnv>;

export function loadIngestConfig(env: NodeJS.ProcessEnv = process.env): IngestConfig {
  return parseEnv(ingestEnv, env, 'ingest');
}
