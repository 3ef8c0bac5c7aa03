import { loadIngestConfig } from '@sightline/config';
import { initErrorReporting, runService, startInternalServer } from '@sightline/observability';
import { createReceiver } from './create-receiver';

runService('receiver', async () => {
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
  return {
    logger: receiver.logger,
    async stop() {
      await receiver.close();
      await internal.close();
    },
  };
});
