import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { WorkersConfig } from '@sightline/config';
import { safeError } from '@sightline/observability';
import { JobMonitor } from './job-monitor.service';
import { JobTimeoutError, type JobResult, type RunnableJob } from './scheduled-job';
import { LOGGER, WORKERS_CONFIG } from './tokens';

/**
 * Runs one job body: records its start, enforces its timeout (the body's AbortSignal fires and the
 * run fails, so BullMQ retries it), records success, duration or failure, and pings the job's
 * heartbeat URL after a success. Used by the queue processor and by `npm run job`.
 */
@Injectable()
export class JobRunner {
  constructor(
    @Inject(JobMonitor) private readonly monitor: JobMonitor,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(WORKERS_CONFIG) private readonly config: WorkersConfig,
  ) {}

  async run(job: RunnableJob, opts: { attempt: number }): Promise<JobResult & { durationMs: number }> {
    const started = Date.now();
    const logger = this.logger.child({ job: job.name, attempt: opts.attempt });
    await this.monitor.recordStart(job.name, started);
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new JobTimeoutError(job.name, job.timeoutMs);
        controller.abort(err);
        reject(err);
      }, job.timeoutMs);
    });
    try {
      const result = await Promise.race([
        job.run({ signal: controller.signal, logger, attempt: opts.attempt }),
        timeout,
      ]);
      const durationMs = Date.now() - started;
      await this.monitor.recordSuccess(job.name, durationMs);
      if (job.quietWhen?.(result)) logger.debug({ result, durationMs }, 'job succeeded');
      else logger.info({ result, durationMs }, 'job succeeded');
      await this.pingHeartbeat(job.name, logger);
      return { ...result, durationMs };
    } catch (err) {
      this.monitor.recordFailure(job.name);
      logger.warn({ err: safeError(err), durationMs: Date.now() - started }, 'job failed');
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private async pingHeartbeat(job: string, logger: Logger): Promise<void> {
    const url = this.config.heartbeatUrls[job];
    if (!url) return;
    try {
      const res = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(5_000) });
      await res.body?.cancel();
      if (!res.ok) logger.warn({ status: res.status }, 'heartbeat ping answered with an error');
    } catch (err) {
      // A monitoring outage must not fail the job itself.
      logger.warn({ err: safeError(err) }, 'heartbeat ping failed');
    }
  }
}
