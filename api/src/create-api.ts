import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import Redis from 'ioredis';
import { dirname } from 'node:path';
import express from 'express';
import { createClickHouseClient } from '@sightline/clickhouse';
import type { ApiConfig } from '@sightline/config';
import { CountryLookup } from '@sightline/enrich';
import { createLogger, createMetricsRegistry, type Readiness } from '@sightline/observability';
import { AppModule } from './app.module';
import { createDataSource } from '@sightline/database';
import { checkStores } from './health/store-health';
import { httpMetricsMiddleware } from './http-metrics';
import { Mailer } from '@sightline/mail';
import { DOCS_ASSETS_PATH } from './openapi/docs.controller';
import { RealtimeServer } from './realtime/realtime.server';
import { STRIPE_WEBHOOK_PATH } from './billing/stripe-webhook.controller';
import { importUploadMiddleware } from './imports/import-upload.middleware';

/** Body-parser failures answered in the API's error shape before they reach any route. */
function bodyErrorHandler(
  err: unknown,
  _req: express.Request,
  res: express.Response,
  next: express.NextFunction,
): void {
  const type = (err as { type?: string }).type;
  if (type === 'entity.parse.failed') {
    res.status(400).json({ error: { code: 'malformed_json', message: 'The body is not valid JSON' } });
  } else if (type === 'entity.too.large') {
    res.status(413).json({ error: { code: 'payload_too_large', message: 'The body is larger than 64 KB' } });
  } else if (type !== undefined) {
    res.status(400).json({ error: { code: 'bad_request', message: 'The body could not be read' } });
  } else next(err);
}

/** Composition root of the API, used by main and by tests that run it in-process. */
export async function createApi(config: ApiConfig) {
  const logger = createLogger('api', config.LOG_LEVEL);
  const registry = createMetricsRegistry('api');
  const dataSource = createDataSource(config.DATABASE_URL);
  await dataSource.initialize();
  const redis = new Redis(config.REDIS_URL, {
    connectionName: 'sightline-api',
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.on('error', (err: Error) => logger.warn({ err: { message: err.message } }, 'redis connection error'));
  // BullMQ's own connection (it loads its scripts into it); adding a job fails fast like other
  // Redis calls, so a Stripe webhook that could not be queued gets a 5xx and is redelivered.
  const bullRedis = new Redis(config.REDIS_URL, {
    connectionName: 'sightline-api-queue',
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  bullRedis.on('error', (err: Error) =>
    logger.warn({ err: { message: err.message } }, 'redis (queue) connection error'),
  );
  const clickhouse = createClickHouseClient({
    url: config.CLICKHOUSE_URL,
    database: config.CLICKHOUSE_DATABASE,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
  });
  // Stats queries run as the read-only user. The CLICKHOUSE_USER connection is only for health checks (and
  // the account-deletion purge until that moves to the workers, which own every mutation).
  const clickhouseReader = createClickHouseClient({
    url: config.CLICKHOUSE_URL,
    database: config.CLICKHOUSE_DATABASE,
    username: config.API_CLICKHOUSE_USER || config.CLICKHOUSE_USER,
    password: config.API_CLICKHOUSE_USER ? config.API_CLICKHOUSE_PASSWORD : config.CLICKHOUSE_PASSWORD,
  });
  const mailer = new Mailer(
    { smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, mailDir: config.MAIL_DIR },
    logger,
  );
  const countries = await CountryLookup.open();

  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.create({
      config,
      logger,
      dataSource,
      redis,
      clickhouse,
      clickhouseReader,
      mailer,
      countries,
      bullRedis,
    }),
    { logger: ['error', 'warn'], bodyParser: false },
  );
  app.set('trust proxy', false); // client addresses come from clientAddress() and TRUSTED_PROXY_HOPS
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(httpMetricsMiddleware(registry));
  // API answers are per user and often secret (keys, sessions): never cached by browsers or proxies.
  app.use((_req: express.Request, res: express.Response, next: express.NextFunction) => {
    res.setHeader('Cache-Control', 'private, no-store');
    next();
  });
  // Shared dashboards are never indexed, whatever the answer (README "Shared dashboards").
  app.use('/api/share', (_req: express.Request, res: express.Response, next: express.NextFunction) => {
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    next();
  });
  // Stripe signs the exact bytes: the webhook gets the raw body (express.json then skips it).
  app.use(STRIPE_WEBHOOK_PATH, express.raw({ type: () => true, limit: '512kb' }));
  app.use(importUploadMiddleware);
  app.use(express.json({ limit: '64kb' }));
  app.use(bodyErrorHandler);
  app.use(
    DOCS_ASSETS_PATH,
    express.static(dirname(require.resolve('swagger-ui-dist/package.json')), { maxAge: '7d', index: false }),
  );
  await app.init();
  app.get(RealtimeServer).attach(app.getHttpServer());

  const readiness: Readiness = {
    async notReadyReason() {
      const { missing } = await checkStores({ dataSource, redis, clickhouse });
      return missing.length ? `unavailable: ${missing.join(', ')}` : null;
    },
  };

  return {
    app,
    logger,
    registry,
    readiness,
    async listen(host: string, port: number): Promise<number> {
      await app.listen(port, host);
      const address = app.getHttpServer().address();
      return typeof address === 'object' && address ? address.port : port;
    },
    async close(): Promise<void> {
      await app.close();
      redis.disconnect();
      bullRedis.disconnect();
      await clickhouse.close();
      await clickhouseReader.close();
      await dataSource.destroy();
      mailer.close();
    },
  };
}
