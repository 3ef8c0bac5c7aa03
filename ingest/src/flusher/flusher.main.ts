import { loadIngestConfig } from '@sightline/config';
import {
  flushErrorReports,
  initErrorReporting,
  reportError,
  startInternalServer,
} from '@sightline/observability';
import { createFlusher } from './create-flusher';

async function main(): Promise<void> {
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

  const shutdown = async (signal: string) => {
    flusher.logger.info({ signal }, 'flusher shutting down');
    await flusher.close();
    await internal.close();
    await flushErrorReports();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch(async (err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  reportError(err);
  await flushErrorReports();
  process.exit(1);
});
