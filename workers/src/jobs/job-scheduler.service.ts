import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { WorkersConfig } from '@sightline/config';
import { JobMonitor } from './job-monitor.service';
import type { ScheduledJob } from './scheduled-job';
import { JOBS_QUEUE, LOGGER, SCHEDULED_JOBS, WORKERS_CONFIG } from './tokens';

/**
 * Registers one BullMQ job scheduler per job at start-up. Every replica does so; the upsert is
 * idempotent and BullMQ derives each tick's job id from the scheduler, so a tick runs once however
 * many replicas are up. Schedulers of jobs that no longer exist are removed.
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap {
  constructor(
    @Inject(JOBS_QUEUE) private readonly queue: Queue,
    @Inject(SCHEDULED_JOBS) private readonly jobs: ScheduledJob[],
    @Inject(JobMonitor) private readonly monitor: JobMonitor,
    @Inject(WORKERS_CONFIG) private readonly config: WorkersConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.WORKERS_SCHEDULERS) {
      this.logger.info('job schedulers not registered (WORKERS_SCHEDULERS=false)');
      return;
    }
    const names = new Set(this.jobs.map((j) => j.name));
    for (const scheduler of await this.queue.getJobSchedulers()) {
      if (!names.has(scheduler.key)) await this.queue.removeJobScheduler(scheduler.key);
    }
    for (const job of this.jobs) {
      const every = this.config.everyMsOverrides[job.name];
      const repeat =
        every !== undefined
          ? { every }
          : 'every' in job.schedule
            ? { every: job.schedule.every }
            : { pattern: job.schedule.pattern, tz: 'UTC' };
      await this.queue.upsertJobScheduler(job.name, repeat, {
        name: job.name,
        opts: {
          attempts: job.attempts,
          backoff: { type: 'exponential', delay: this.config.WORKERS_RETRY_BACKOFF_MS },
          removeOnComplete: { count: 200 },
          removeOnFail: { count: 1000 },
        },
      });
      await this.monitor.recordScheduled(job.name);
    }
    this.logger.info({ jobs: [...names] }, 'job schedulers registered');
  }
}
