import type { Redis } from 'ioredis';
import { Pool } from 'pg';
import { Gauge } from 'prom-client';
import type { IngestConfig } from '@sightline/config';
import { createLogger, createMetricsRegistry, type Readiness } from '@sightline/observability';
import { CountryLookup } from '@sightline/enrich';
import { SaltStore } from '../identity/salt-store';
import { VisitorIdentity } from '../identity/visitor-identity';
import { EventEnricher } from '../intake/event-enricher';
import { EventIntakeService } from '../intake/event-intake.service';
import { IngestRateLimiter } from '../intake/ingest-rate-limiter';
import { assertNoEviction, createRedis } from '../redis-connection';
import { DiskSpool } from '../spool/disk-spool';
import { BatchedEventAppender } from '../stream/batched-event-appender';
import { DurableEventQueue } from '../stream/durable-event-queue';
import { SiteRepository } from '../sites/site.repository';
import { SiteDecisionCache } from '../sites/site-decision-cache';
import { SiteDecisionStore } from '../sites/site-decision-store';
import { CapacityGate } from '../sites/capacity-gate';
import { EventStream } from '../stream/event-stream';
import { orphanSpoolDirs } from './receiver-cluster';
import { buildReceiverApp } from './receiver.app';
import { createReceiverMetrics } from './receiver.metrics';
import { loadTrackerScript, loadTrackerVariants } from './tracker-script';
import { VitalsIntakeService } from '../vitals/vitals-intake.service';
import { VitalsStream, vitalsStreamKey } from '../vitals/vitals-stream';

/** Composition root of the receiver: wires real dependencies from config. Used by main and tests. */
export async function createReceiver(config: IngestConfig) {
  const logger = createLogger('ingest-receiver', config.LOG_LEVEL);
  const registry = createMetricsRegistry('ingest-receiver');
  const metrics = createReceiverMetrics(registry);
  const redis = createRedis(config.REDIS_URL, { failFast: true, name: 'sightline-receiver' });
  redis.on('error', (err: Error) => logger.warn({ err: { message: err.message } }, 'redis connection error'));
  // Postgres is off the hot path (SiteDecisionCache); a lookup that hangs must still end.
  const pool = new Pool({
    connectionString: config.DATABASE_URL,
    max: 4,
    connectionTimeoutMillis: 2_000,
    query_timeout: 2_000,
  });
  pool.on('error', (err) => logger.warn({ err: { message: err.message } }, 'postgres pool error'));

  // Checked when Redis is reachable at boot; a receiver that boots during an outage spools.
  if (await connected(redis, 2000)) await assertNoEviction(redis, config.ALLOW_EVICTING_REDIS);
  // A Redis that comes back (or fails over) with an evicting policy takes the replica out of
  // rotation instead of silently risking buffered events.
  let evictionProblem: string | null = null;
  redis.on('ready', () => {
    assertNoEviction(redis, config.ALLOW_EVICTING_REDIS).then(
      () => (evictionProblem = null),
      (err: Error) => {
        evictionProblem = err.message;
        logger.error({ err: { message: err.message } }, 'redis eviction policy is unsafe');
      },
    );
  });
  const spool = await DiskSpool.open(config.INGEST_SPOOL_DIR, config.INGEST_SPOOL_MAX_BYTES);
  const limiter = new IngestRateLimiter(redis, {
    perIp: config.RATE_LIMIT_PER_IP,
    perSite: config.RATE_LIMIT_PER_SITE,
    windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
  });
  const appender = new BatchedEventAppender(redis, config.EVENTS_STREAM, limiter.siteLimit);
  const stream = new EventStream(redis, config.EVENTS_STREAM);
  const queue = new DurableEventQueue(appender, stream, spool, logger, () => metrics.spooled.inc());
  queue.startDraining(() => redis.status === 'ready');
  // Spools of worker slots that no longer exist (INGEST_WORKERS was lowered): drained by slot 0.
  const orphans = await Promise.all(
    (await orphanSpoolDirs(config)).map(async (dir) => {
      logger.info({ dir }, 'draining the spool of a former receiver worker');
      const orphan = new DurableEventQueue(
        appender,
        stream,
        await DiskSpool.open(dir, config.INGEST_SPOOL_MAX_BYTES),
        logger,
        () => undefined,
      );
      orphan.startDraining(() => redis.status === 'ready');
      return orphan;
    }),
  );
  new Gauge({
    name: 'sightline_ingest_spool_backlog_bytes',
    help: 'Bytes in the disk spool not yet moved to the Redis stream (alert when it stays above 0)',
    registers: [registry],
    collect() {
      this.set(orphans.reduce((sum, orphan) => sum + orphan.spoolBacklogBytes, queue.spoolBacklogBytes));
    },
  });

  // Ready while events can be made durable: Redis answers, or the spool still has room.
  const readiness: Readiness = {
    async notReadyReason() {
      if (evictionProblem) return evictionProblem;
      if (redis.status !== 'ready' && queue.spoolIsFull()) {
        return `redis is ${redis.status} and the disk spool is full`;
      }
      // Postgres is not part of it: sites are cached, and taking every replica out of the load
      // balancer during a Postgres blip would refuse events for sites we already know.
      return null;
    },
  };

  const siteRepository = new SiteRepository(pool);
  const sites = new SiteDecisionCache(
    (domain) => siteRepository.findByDomain(domain).then((site) => ({ site })),
    new SiteDecisionStore(redis),
    { ttlMs: config.SITE_CACHE_TTL_MS },
    (reason) => metrics.staleSiteDecisions.inc({ reason }),
  );
  const capacity = new CapacityGate(redis);
  const identity = new VisitorIdentity(new SaltStore(redis));
  const enricher = new EventEnricher(await CountryLookup.open());
  const intake = new EventIntakeService({ sites, capacity, identity, queue, limiter, enricher, metrics });
  const vitals = new VitalsIntakeService({
    sites,
    capacity,
    identity,
    limiter,
    enricher,
    stream: new VitalsStream(redis, vitalsStreamKey(config.EVENTS_STREAM)),
  });
  const app = buildReceiverApp({
    intake,
    script: await loadTrackerScript(config.TRACKER_SCRIPT_FILE),
    variants: await loadTrackerVariants(config.TRACKER_SCRIPT_FILE),
    metrics,
    readiness,
    logger,
    trustedProxyHops: config.TRUSTED_PROXY_HOPS,
    vitals: { vitals },
  });

  return {
    app,
    logger,
    registry,
    readiness,
    async close() {
      await app.close();
      await queue.stop();
      await Promise.all(orphans.map((orphan) => orphan.stop()));
      redis.disconnect();
      await pool.end();
    },
  };
}

function connected(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
