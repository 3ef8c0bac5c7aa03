import { Pool } from 'pg';
import type { IngestConfig } from '@sightline/config';
import { createLogger, createMetricsRegistry, type Readiness } from '@sightline/observability';
import { CountryLookup } from '../enrich';
import { SaltStore } from '../identity/salt-store';
import { VisitorIdentity } from '../identity/visitor-identity';
import { EventEnricher } from '../intake/event-enricher';
import { EventIntakeService } from '../intake/event-intake.service';
import { createRedis } from '../redis-connection';
import { SiteRepository } from '../sites/site.repository';
import { SiteResolver } from '../sites/site-resolver';
import { EventStream } from '../stream/event-stream';
import { buildReceiverApp } from './receiver.app';
import { createReceiverMetrics } from './receiver.metrics';
import { loadTrackerScript } from './tracker-script';

/** Composition root of the receiver: wires real dependencies from config. Used by main and tests. */
export async function createReceiver(config: IngestConfig) {
  const logger = createLogger('ingest-receiver', config.LOG_LEVEL);
  const registry = createMetricsRegistry('ingest-receiver');
  const metrics = createReceiverMetrics(registry);
  const redis = createRedis(config.REDIS_URL, { failFast: true, name: 'sightline-receiver' });
  redis.on('error', (err: Error) => logger.warn({ err: { message: err.message } }, 'redis connection error'));
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 4 });
  pool.on('error', (err) => logger.warn({ err: { message: err.message } }, 'postgres pool error'));

  const readiness: Readiness = {
    async notReadyReason() {
      if (redis.status !== 'ready') return `redis is ${redis.status}`;
      try {
        await pool.query('SELECT 1');
      } catch (err) {
        return `postgres: ${err instanceof Error ? err.message : String(err)}`;
      }
      return null;
    },
  };

  const intake = new EventIntakeService({
    sites: new SiteResolver(new SiteRepository(pool), config.SITE_CACHE_TTL_MS),
    identity: new VisitorIdentity(redis, new SaltStore(redis)),
    stream: new EventStream(redis, config.EVENTS_STREAM),
    enricher: new EventEnricher(await CountryLookup.open()),
    metrics,
  });
  const app = buildReceiverApp({
    intake,
    script: await loadTrackerScript(config.TRACKER_SCRIPT_FILE),
    metrics,
    readiness,
    logger,
    trustedProxyHops: config.TRUSTED_PROXY_HOPS,
  });

  return {
    app,
    logger,
    registry,
    readiness,
    async close() {
      await app.close();
      redis.disconnect();
      await pool.end();
    },
  };
}
