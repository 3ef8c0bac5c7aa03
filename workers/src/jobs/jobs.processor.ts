import { Inject, Injectable } from '@nestjs/common';
import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { safeError } from '@sightline/observability';
import { JobRunner } from './job-runner.service';
import type { JobResult, QueuedJob, ScheduledJob } from './scheduled-job';
import { LOGGER, QUEUED_JOBS, SCHEDULED_JOBS } from './tokens';

/**
 * The BullMQ worker of the jobs queue. `@Processor(queue, options)` is applied in
 * workers.module.ts, because the queue name and lock timings come from the config. A failing job
 * is retried with backoff and finally kept in the queue's failed set with its error; the process
 * never crashes on it.
 */
@Injectable()
export class JobsProcessor extends WorkerHost {
  constructor(
    @Inject(JobRunner) private readonly runner: JobRunner,
    @Inject(SCHEDULED_JOBS) private readonly jobs: ScheduledJob[],
    @Inject(QUEUED_JOBS) private readonly queued: QueuedJob[],
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  async process(job: Job): Promise<JobResult> {
    const attempt = job.attemptsMade + 1;
    const definition = this.jobs.find((j) => j.name === job.name);
    if (definition) return this.runner.run(definition, { attempt });
    const queued = this.queued.find((j) => j.name === job.name);
    if (!queued) throw new UnrecoverableError(`unknown job ${job.name}`);
    return this.runner.run(
      { name: queued.name, timeoutMs: queued.timeoutMs, run: (ctx) => queued.run(job.data, ctx) },
      { attempt },
    );
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, err: Error): void {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    this.logger.warn(
      { job: job.name, id: job.id, attemptsMade: job.attemptsMade, final, err: safeError(err) },
      final ? 'job failed for good (kept in the failed set)' : 'job failed, will be retried',
    );
  }

  @OnWorkerEvent('error')
  onError(err: Error): void {
    this.logger.error({ err: safeError(err) }, 'jobs worker error');
  }
}
