import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import { createClickHouseClient } from '@sightline/clickhouse';
import type { WorkersConfig } from '@sightline/config';
import { createDataSource } from '@sightline/database';
import { Mailer } from '@sightline/mail';
import { createLogger, createMetricsRegistry, safeError } from '@sightline/observability';
import { JobMonitor } from './jobs/job-monitor.service';
import { JobRunner } from './jobs/job-runner.service';
import { JobsProcessor } from './jobs/jobs.processor';
import type { QueuedJob, ScheduledJob } from './jobs/scheduled-job';
import { QUEUED_JOBS, SCHEDULED_JOBS } from './jobs/tokens';
import { WorkersModule } from './workers.module';

/** Composition root of the workers, used by main, by `npm run job` and by tests that run it in-process. */
export async function createWorkersApp(config: WorkersConfig, mode: 'service' | 'cli' = 'service') {
  const logger = createLogger('workers', config.LOG_LEVEL);
  const registry = createMetricsRegistry('workers');
  const dataSource = createDataSource(config.DATABASE_URL);
  await dataSource.initialize();
  const redis = new Redis(config.REDIS_URL, {
    connectionName: 'sightline-workers',
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.on('error', (err: Error) => logger.warn({ err: safeError(err) }, 'redis connection error'));
  const bullRedis = new Redis(config.REDIS_URL, {
    connectionName: 'sightline-workers-bullmq',
    maxRetriesPerRequest: null, // BullMQ's blocking commands wait for Redis instead of failing
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  bullRedis.on('error', (err: Error) =>
    logger.warn({ err: safeError(err) }, 'redis (bullmq) connection error'),
  );
  const clickhouse = createClickHouseClient(
    {
      url: config.CLICKHOUSE_URL,
      database: config.CLICKHOUSE_DATABASE,
      username: config.CLICKHOUSE_USER,
      password: config.CLICKHOUSE_PASSWORD,
    },
    { requestTimeoutMs: 300_000 },
  );
  const mailer = new Mailer(
    { smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, mailDir: config.MAIL_DIR },
    logger,
  );

  const app = await NestFactory.createApplicationContext(
    WorkersModule.create(
      { config, logger, registry, dataSource, redis, bullRedis, clickhouse, mailer },
      mode,
    ),
    { logger: ['error', 'warn'] },
  );
  await app.init();

  const releaseStores = async () => {
    mailer.close();
    await Promise.allSettled([dataSource.destroy(), clickhouse.close()]);
    redis.disconnect();
    bullRedis.disconnect();
  };

  return {
    app,
    logger,
    registry,
    readiness: app.get(JobMonitor),
    monitor: app.get(JobMonitor),
    runner: app.get(JobRunner),
    jobs: app.get<ScheduledJob[]>(SCHEDULED_JOBS),
    /** Jobs other processes queue with data (`--list` shows them; they do not run from the CLI). */
    queuedJobs: app.get<QueuedJob[]>(QUEUED_JOBS),
    /**
     * Stops taking jobs and lets running ones finish for up to WORKERS_SHUTDOWN_TIMEOUT_MS; past
     * that the worker is closed by force (the unfinished job's lock expires and another replica
     * retries it), then connections are released.
     */
    async close(): Promise<void> {
      if (mode === 'service') {
        const worker = app.get(JobsProcessor).worker;
        let timer: NodeJS.Timeout | undefined;
        const drained = await Promise.race([
          worker.close().then(() => true),
          new Promise<false>(
            (resolve) => (timer = setTimeout(() => resolve(false), config.WORKERS_SHUTDOWN_TIMEOUT_MS)),
          ),
        ]);
        clearTimeout(timer);
        if (!drained) {
          logger.warn(
            { timeoutMs: config.WORKERS_SHUTDOWN_TIMEOUT_MS },
            'running jobs did not finish in time; closing anyway',
          );
          await worker.close(true).catch(() => undefined);
        }
      }
      await app.close();
      await releaseStores();
    },
  };
}

export type WorkersApp = Awaited<ReturnType<typeof createWorkersApp>>;
