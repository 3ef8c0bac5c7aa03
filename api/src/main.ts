import { loadApiConfig } from '@sightline/config';
import { initErrorReporting, runService, startInternalServer } from '@sightline/observability';
import { createApi } from './create-api';

runService('api', async () => {
  const config = loadApiConfig();
  initErrorReporting(config.SENTRY_DSN, 'api');
  const api = await createApi(config);
  const internal = await startInternalServer({
    host: config.API_HOST,
    port: config.API_METRICS_PORT,
    registry: api.registry,
    readiness: api.readiness,
  });
  const port = await api.listen(config.API_HOST, config.API_PORT);
  api.logger.info({ port, metricsPort: internal.port }, 'api listening');
  return {
    logger: api.logger,
    async stop() {
      await api.close();
      await internal.close();
    },
  };
});
