import { loadIngestConfig } from '@sightline/config';
import { initErrorReporting, runService, startInternalServer } from '@sightline/observability';
import { createFlusher } from './create-flusher';

runService('flusher', async () => {
  const config = loadIngestConfig();
  initErrorReporting(config.SENTRY_DSN, 'ingest-flusher');
  const flusher = createFlusher(config);
  const internal = await startInternalServer({
    host: config.INGEST_HOST,
    port: config.FLUSHER_METRICS_PORT,
    registry: flusher.registry,
    readiness: flusher.readiness,
  });
  flusher.start();
  flusher.logger.info(
    { metricsPort: internal.port, batchSize: config.FLUSH_BATCH_SIZE, intervalMs: config.FLUSH_INTERVAL_MS },
    'flusher running',
  );
  return {
    logger: flusher.logger,
    async stop() {
      await flusher.close();
      await internal.close();
    },
  };
});
