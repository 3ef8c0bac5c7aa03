import { loadIngestConfig } from '@sightline/config';
import {
  flushErrorReports,
  initErrorReporting,
  reportError,
  startInternalServer,
} from '@sightline/observability';
import { createReceiver } from './create-receiver';

async function main(): Promise<void> {
  const config = loadIngestConfig();
  initErrorReporting(config.SENTRY_DSN, 'ingest-receiver');
  const receiver = await createReceiver(config);
  const internal = await startInternalServer({
    host: config.INGEST_HOST,
    port: config.INGEST_METRICS_PORT,
    registry: receiver.registry,
    readiness: receiver.readiness,
  });
  await receiver.app.listen({ host: config.INGEST_HOST, port: config.INGEST_PORT });
  receiver.logger.info({ port: config.INGEST_PORT, metricsPort: internal.port }, 'receiver listening');

  const shutdown = async (signal: string) => {
    receiver.logger.info({ signal }, 'receiver shutting down');
    await receiver.close();
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
