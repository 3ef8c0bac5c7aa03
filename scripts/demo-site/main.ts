// `tsx scripts/demo-site/main.ts`: serves the Acme Kites demo site until SIGINT/SIGTERM.
import { createLogger } from '@sightline/observability';
import { loadDemoSiteConfig } from './demo-site.config';
import { startDemoSite } from './demo-site.server';

async function main(): Promise<void> {
  const config = loadDemoSiteConfig();
  const logger = createLogger('demo-site', config.logLevel);
  const site = await startDemoSite({ port: config.port, host: config.host, ingestUrl: config.ingestUrl });
  logger.info({ url: site.url, ingestUrl: config.ingestUrl }, `demo site at ${site.url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping demo site');
    site.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'demo site did not close cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  // Config errors list every bad variable in the message; print it plainly and fail.
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
