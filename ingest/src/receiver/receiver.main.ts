import cluster from 'node:cluster';
import { loadIngestConfig, type IngestConfig } from '@sightline/config';
import {
  createLogger,
  initErrorReporting,
  runService,
  startInternalServer,
  type RunningService,
} from '@sightline/observability';
import { createReceiver } from './create-receiver';
import { ReceiverPrimary, serveWorkerIpc, workerSpoolDir } from './receiver-cluster';

runService('receiver', async () => {
  const config = loadIngestConfig();
  initErrorReporting(config.SENTRY_DSN, 'ingest-receiver');
  if (config.INGEST_WORKERS > 1 && cluster.isPrimary) return startPrimary(config);
  return startReceiver(config, cluster.isWorker);
});

/** One receiver process: alone, it serves the internal port itself; as a worker, its primary does. */
async function startReceiver(config: IngestConfig, isWorker: boolean): Promise<RunningService> {
  const receiver = await createReceiver({ ...config, INGEST_SPOOL_DIR: workerSpoolDir(config) });
  const internal = isWorker
    ? null
    : await startInternalServer({
        host: config.INGEST_HOST,
        port: config.INGEST_METRICS_PORT,
        registry: receiver.registry,
        readiness: receiver.readiness,
      });
  if (isWorker) serveWorkerIpc(receiver.registry, receiver.readiness);
  await receiver.app.listen({ host: config.INGEST_HOST, port: config.INGEST_PORT });
  receiver.logger.info(
    { port: config.INGEST_PORT, metricsPort: internal?.port, worker: config.INGEST_WORKER_SLOT },
    'receiver listening',
  );
  return {
    logger: receiver.logger,
    async stop() {
      await receiver.close();
      await internal?.close();
    },
  };
}

async function startPrimary(config: IngestConfig): Promise<RunningService> {
  const logger = createLogger('ingest-receiver', config.LOG_LEVEL);
  const primary = new ReceiverPrimary(config.INGEST_WORKERS, logger);
  await primary.start();
  const internal = await startInternalServer({
    host: config.INGEST_HOST,
    port: config.INGEST_METRICS_PORT,
    registry: primary.metrics,
    readiness: primary.readiness,
  });
  logger.info(
    { port: config.INGEST_PORT, metricsPort: internal.port, workers: config.INGEST_WORKERS },
    'receiver listening',
  );
  return {
    logger,
    async stop() {
      await primary.stop();
      await internal.close();
    },
  };
}
