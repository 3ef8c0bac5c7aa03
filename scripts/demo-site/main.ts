// `node --import tsx scripts/demo-site/main.ts`: serves the Acme Kites demo site until SIGINT/SIGTERM.
import { createLogger, runService } from '@sightline/observability';
import { loadDemoSiteConfig } from './demo-site.config';
import { startDemoSite } from './demo-site.server';

runService('demo site', async () => {
  const config = loadDemoSiteConfig();
  const logger = createLogger('demo-site', config.logLevel);
  const site = await startDemoSite({ port: config.port, host: config.host, ingestUrl: config.ingestUrl });
  logger.info({ url: site.url, ingestUrl: config.ingestUrl }, `demo site at ${site.url}`);
  return { logger, stop: () => site.close() };
});
