import { loadWorkersConfig } from '@sightline/config';
import { initErrorReporting, runService, startInternalServer } from '@sightline/observability';
import { createWorkersApp } from './workers-app';

runService('workers', async () => {
  const config = loadWorkersConfig();
  initErrorReporting(config.SENTRY_DSN, 'workers');
  const workers = await createWorkersApp(config, 'service');
  const internal = await startInternalServer({
    host: config.WORKERS_HOST,
    port: config.WORKERS_METRICS_PORT,
    registry: workers.registry,
    readiness: workers.readiness,
  });
  workers.logger.info(
    { metricsPort: internal.port, jobs: workers.jobs.map((j) => j.name) },
    'workers running',
  );
  return {
    logger: workers.logger,
    async stop() {
      await workers.close();
      await internal.close();
    },
  };
});
