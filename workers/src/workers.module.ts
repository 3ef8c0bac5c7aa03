import { BullModule, getQueueToken, Processor } from '@nestjs/bullmq';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { ClickHouseClient } from '@sightline/clickhouse';
import type { WorkersConfig } from '@sightline/config';
import type { Mailer } from '@sightline/mail';
import { AccountDeletionJob } from './account-deletion/account-deletion.job';
import { AccountDeletionRepository } from './account-deletion/account-deletion.repository';
import { JobMonitor } from './jobs/job-monitor.service';
import { JobRunner } from './jobs/job-runner.service';
import { JobScheduler } from './jobs/job-scheduler.service';
import { JobsProcessor } from './jobs/jobs.processor';
import type { QueuedJob, ScheduledJob } from './jobs/scheduled-job';
import {
  CLICKHOUSE,
  JOBS_QUEUE,
  LOGGER,
  MAILER,
  METRICS_REGISTRY,
  REDIS,
  QUEUED_JOBS,
  SCHEDULED_JOBS,
  WORKERS_CONFIG,
} from './jobs/tokens';
import { ClickHouseRetentionRepository } from './retention/clickhouse-retention.repository';
import { RetentionSweepJob } from './retention/retention-sweep.job';
import { SiteDeletionRepository } from './retention/site-deletion.repository';
import { QueryEngine } from '@sightline/query';
import { StaffDigestJob } from './digest/staff-digest.job';
import { StaffDigestRepository } from './digest/staff-digest.repository';
import { EmailReportsJob } from './reports/email-reports.job';
import { ReportSubscriptionsRepository } from './reports/report-subscriptions.repository';
import { SiteReportService } from './reports/site-report.service';
import { BillableEventsRepository } from './usage/billable-events.repository';
import { OrgUsageRepository } from './usage/org-usage.repository';
import { UsageMeteringJob } from './usage/usage-metering.job';
import { QuotaEvaluationJob } from './billing/quota-evaluation.job';
import { QuotaRepository } from './billing/quota.repository';
import { ImportSiteDataJob } from './imports/import-site-data.job';
import { SiteImportRepository } from './imports/site-import.repository';
import { SiteImporter } from './imports/site-importer.service';
import { StripeEventJob } from './billing/stripe-event.job';
import { BillingStore, CapacityWriter, SubscriptionSync, createStripeSdk } from '@sightline/billing';

/** Every job class; `npm run job -- --list` shows them in this order. */
export const JOB_CLASSES = [
  UsageMeteringJob,
  QuotaEvaluationJob,
  EmailReportsJob,
  StaffDigestJob,
  RetentionSweepJob,
  AccountDeletionJob,
  ImportSiteDataJob,
] as const;

/** Jobs other processes add to the queue with data (no schedule). */
export const QUEUED_JOB_CLASSES = [StripeEventJob] as const;

const REPOSITORIES = [
  OrgUsageRepository,
  BillableEventsRepository,
  SiteDeletionRepository,
  ClickHouseRetentionRepository,
  ReportSubscriptionsRepository,
  StaffDigestRepository,
  AccountDeletionRepository,
  QuotaRepository,
  SiteImportRepository,
];

export interface WorkersModuleDeps {
  config: WorkersConfig;
  logger: Logger;
  registry: Registry;
  dataSource: DataSource;
  redis: Redis;
  /** A separate connection for BullMQ (it needs maxRetriesPerRequest: null). */
  bullRedis: Redis;
  clickhouse: ClickHouseClient;
  mailer: Mailer;
}

@Module({})
export class WorkersModule {
  /**
   * `service`: consumes the queue and registers the schedulers. `cli`: the same jobs without
   * touching the queue, for `npm run job -- NAME`.
   */
  static create(deps: WorkersModuleDeps, mode: 'service' | 'cli'): DynamicModule {
    const base: Provider[] = [
      { provide: WORKERS_CONFIG, useValue: deps.config },
      { provide: LOGGER, useValue: deps.logger },
      { provide: METRICS_REGISTRY, useValue: deps.registry },
      { provide: DataSource, useValue: deps.dataSource },
      { provide: REDIS, useValue: deps.redis },
      { provide: CLICKHOUSE, useValue: deps.clickhouse },
      { provide: MAILER, useValue: deps.mailer },
      {
        provide: QueryEngine,
        useValue: new QueryEngine(deps.clickhouse, {
          sampleAboveRows: deps.config.QUERY_SAMPLE_ABOVE_ROWS,
          sampleTargetRows: deps.config.QUERY_SAMPLE_TARGET_ROWS,
        }),
      },
      SiteReportService,
      SiteImporter,
      ...REPOSITORIES,
      ...JOB_CLASSES,
      {
        provide: SCHEDULED_JOBS,
        inject: [...JOB_CLASSES],
        useFactory: (...jobs: ScheduledJob[]) => jobs,
      },
      { provide: BillingStore, useValue: new BillingStore(deps.dataSource) },
      {
        provide: SubscriptionSync,
        inject: [BillingStore],
        useFactory: (store: BillingStore) =>
          deps.config.billing
            ? new SubscriptionSync({
                stripe: createStripeSdk(deps.config.billing),
                prices: deps.config.billing.prices,
                store,
                capacity: new CapacityWriter(deps.redis, store),
                mailer: deps.mailer,
                logger: deps.logger,
                publicAppUrl: deps.config.PUBLIC_APP_URL,
              })
            : null,
      },
      ...QUEUED_JOB_CLASSES,
      {
        provide: QUEUED_JOBS,
        inject: [...QUEUED_JOB_CLASSES],
        useFactory: (...jobs: QueuedJob[]) => jobs,
      },
      JobMonitor,
      JobRunner,
    ];
    if (mode === 'cli')
      return {
        module: WorkersModule,
        providers: base,
        exports: [JobRunner, SCHEDULED_JOBS, QUEUED_JOBS],
      };

    const queue = deps.config.WORKERS_QUEUE;
    // The queue name and lock timings come from the config, so the decorator is applied here.
    Processor(queue, {
      concurrency: deps.config.WORKERS_CONCURRENCY,
      lockDuration: deps.config.WORKERS_LOCK_MS,
      stalledInterval: deps.config.WORKERS_STALLED_CHECK_MS,
      maxStalledCount: 2,
    })(JobsProcessor);
    return {
      module: WorkersModule,
      imports: [
        BullModule.forRoot({ connection: deps.bullRedis }),
        BullModule.registerQueue({ name: queue }),
      ],
      providers: [
        ...base,
        { provide: JOBS_QUEUE, useExisting: getQueueToken(queue) },
        JobsProcessor,
        JobScheduler,
      ],
      exports: [JobRunner, SCHEDULED_JOBS, QUEUED_JOBS, JobsProcessor, JOBS_QUEUE],
    };
  }
}
