import { loadIngestConfig } from '@sightline/config';
import { startInternalServer } from '@sightline/observability';
import { createFlusher } from './create-flusher';

async function main(): Promise<void> {
  const config = loadIngestConfig();
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
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
