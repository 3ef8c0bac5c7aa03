import { hostname } from 'node:os';
import type { IngestConfig } from '@sightline/config';
import { createClickHouseClient, EventsRepository, WebVitalsRepository } from '@sightline/clickhouse';
import { createLogger, createMetricsRegistry, type Readiness } from '@sightline/observability';
import { createRedis } from '../redis-connection';
import { createFlusherMetrics } from './flusher.metrics';
import { LiveEventsPublisher } from './live-events-publisher';
import { StreamFlusher } from './stream-flusher';
import { vitalsStreamKey } from '../vitals/vitals-stream';

/** Composition root of the flusher. Used by main and by tests that run it in-process. */
export function createFlusher(config: IngestConfig) {
  const logger = createLogger('ingest-flusher', config.LOG_LEVEL);
  const registry = createMetricsRegistry('ingest-flusher');
  // Two connections: XREADGROUP BLOCK holds its connection, acks must not wait behind it.
  const reader = createRedis(config.REDIS_URL, { failFast: false, name: 'sightline-flusher-reader' });
  const redis = createRedis(config.REDIS_URL, { failFast: false, name: 'sightline-flusher' });
  const vitalsReader = createRedis(config.REDIS_URL, { failFast: false, name: 'sightline-flusher-vitals' });
  for (const conn of [reader, redis, vitalsReader])
    conn.on('error', (err: Error) =>
      logger.warn({ err: { message: err.message } }, 'redis connection error'),
    );
  const clickhouse = createClickHouseClient({
    url: config.CLICKHOUSE_URL,
    database: config.CLICKHOUSE_DATABASE,
    username: config.FLUSHER_CLICKHOUSE_USER || config.CLICKHOUSE_USER,
    password: config.FLUSHER_CLICKHOUSE_USER
      ? config.FLUSHER_CLICKHOUSE_PASSWORD
      : config.CLICKHOUSE_PASSWORD,
  });

  const live = new LiveEventsPublisher(redis, config.LIVE_EVENTS_CHANNEL, logger);
  let flusher: StreamFlusher | null = null;
  const metrics = createFlusherMetrics(registry, () => (flusher ? flusher.backlog() : Promise.resolve(0)));
  flusher = new StreamFlusher(
    reader,
    redis,
    new EventsRepository(clickhouse),
    {
      stream: config.EVENTS_STREAM,
      group: config.EVENTS_CONSUMER_GROUP,
      consumer: config.FLUSHER_CONSUMER ?? `${hostname()}`,
      batchSize: config.FLUSH_BATCH_SIZE,
      intervalMs: config.FLUSH_INTERVAL_MS,
      reclaimIdleMs: config.FLUSH_RECLAIM_IDLE_MS,
      maxBackoffMs: config.FLUSH_MAX_BACKOFF_MS,
      fault: config.FLUSHER_FAULT,
      onStored: (lines) => live.publish(lines),
    },
    metrics,
    logger,
  );
  const running = flusher;
  // Web vitals travel in their own stream into their own table, with the same durability rules
  // (and the same metrics, so rows flushed counts both).
  const vitals = new StreamFlusher(
    vitalsReader,
    redis,
    new WebVitalsRepository(clickhouse),
    {
      stream: vitalsStreamKey(config.EVENTS_STREAM),
      group: config.EVENTS_CONSUMER_GROUP,
      consumer: config.FLUSHER_CONSUMER ?? `${hostname()}`,
      batchSize: config.FLUSH_BATCH_SIZE,
      intervalMs: config.FLUSH_INTERVAL_MS,
      reclaimIdleMs: config.FLUSH_RECLAIM_IDLE_MS,
      maxBackoffMs: config.FLUSH_MAX_BACKOFF_MS,
      fault: 'none',
    },
    metrics,
    logger,
  );

  const readiness: Readiness = {
    async notReadyReason() {
      if (redis.status !== 'ready') return `redis is ${redis.status}`;
      const ping = await clickhouse.ping();
      if (!ping.success) return `clickhouse unreachable: ${ping.error.message.split('\n')[0]}`;
      return running.notReadyReason() ?? vitals.notReadyReason();
    },
  };

  return {
    flusher: running,
    logger,
    registry,
    readiness,
    vitals,
    start: () => {
      running.start();
      vitals.start();
    },
    async close() {
      await Promise.all([running.stop(), vitals.stop()]);
      reader.disconnect();
      vitalsReader.disconnect();
      redis.disconnect();
      await clickhouse.close();
    },
  };
}
