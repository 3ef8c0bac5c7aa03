import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { WorkersConfig } from '@sightline/config';
import type { Readiness } from '@sightline/observability';
import type { ScheduledJob } from './scheduled-job';
import { METRICS_REGISTRY, REDIS, SCHEDULED_JOBS, WORKERS_CONFIG } from './tokens';

type Mark = 'start' | 'success' | 'scheduled';

/**
 * Cron monitoring. Last start and last success are kept in Redis (one hash per queue), so every
 * replica reports the cluster's latest run, whichever replica ran it; failures and durations are
 * counted by the process that ran the job. /readyz fails when a scheduled job's last success (or,
 * before the first one, its registration) is older than twice its period.
 */
@Injectable()
export class JobMonitor implements Readiness {
  private readonly key: string;
  private readonly periods: Map<string, number>;
  private readonly failures: Counter<'job'>;
  private readonly duration: Histogram<'job'>;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(SCHEDULED_JOBS) private readonly jobs: ScheduledJob[],
    @Inject(WORKERS_CONFIG) config: WorkersConfig,
  ) {
    this.key = `${config.WORKERS_QUEUE}:monitor`;
    this.periods = new Map(jobs.map((j) => [j.name, config.everyMsOverrides[j.name] ?? j.periodMs]));
    const marks = () => this.marks();
    new Gauge({
      name: 'sightline_job_last_success_timestamp_seconds',
      help: 'Unix time of the last successful run of each job (any replica)',
      labelNames: ['job'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const [job, at] of (await marks()).success) this.set({ job }, at / 1000);
      },
    });
    new Gauge({
      name: 'sightline_job_last_start_timestamp_seconds',
      help: 'Unix time of the last start of each job (any replica)',
      labelNames: ['job'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const [job, at] of (await marks()).start) this.set({ job }, at / 1000);
      },
    });
    this.failures = new Counter({
      name: 'sightline_job_failures_total',
      help: 'Failed job attempts in this process',
      labelNames: ['job'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'sightline_job_duration_seconds',
      help: 'Duration of successful job runs in this process',
      labelNames: ['job'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers: [registry],
    });
    for (const job of jobs) {
      this.failures.inc({ job: job.name }, 0);
    }
  }

  async recordStart(job: string, at = Date.now()): Promise<void> {
    await this.redis.hset(this.key, `start:${job}`, String(at));
  }

  async recordSuccess(job: string, durationMs: number, at = Date.now()): Promise<void> {
    this.duration.observe({ job }, durationMs / 1000);
    await this.redis
      .multi()
      .hset(this.key, `success:${job}`, String(at))
      .hincrby(this.key, `runs:${job}`, 1)
      .exec();
  }

  /** Successful runs of a job so far, all replicas together. */
  async successfulRuns(job: string): Promise<number> {
    return Number((await this.redis.hget(this.key, `runs:${job}`)) ?? 0);
  }

  recordFailure(job: string): void {
    this.failures.inc({ job });
  }

  /** Called when the scheduler is registered, so a job that never succeeded becomes overdue too. */
  async recordScheduled(job: string, at = Date.now()): Promise<void> {
    await this.redis.hsetnx(this.key, `scheduled:${job}`, String(at));
  }

  async marks(): Promise<Record<Mark, Map<string, number>>> {
    const all = await this.redis.hgetall(this.key);
    const result: Record<Mark, Map<string, number>> = {
      start: new Map(),
      success: new Map(),
      scheduled: new Map(),
    };
    for (const [field, value] of Object.entries(all)) {
      const [mark, job] = field.split(':', 2) as [string, string | undefined];
      if (job && (mark === 'start' || mark === 'success' || mark === 'scheduled'))
        result[mark].set(job, Number(value));
    }
    return result;
  }

  /** Jobs whose last success (or registration) is older than twice their period. */
  async overdueJobs(now = Date.now()): Promise<string[]> {
    const marks = await this.marks();
    return this.jobs
      .filter((job) => {
        const since = marks.success.get(job.name) ?? marks.scheduled.get(job.name);
        return since !== undefined && now - since > 2 * (this.periods.get(job.name) ?? job.periodMs);
      })
      .map((job) => job.name);
  }

  async notReadyReason(): Promise<string | null> {
    try {
      await this.redis.ping();
    } catch (err) {
      return `redis: ${err instanceof Error ? err.message : String(err)}`;
    }
    const overdue = await this.overdueJobs();
    return overdue.length > 0
      ? `overdue jobs (no success within twice their period): ${overdue.join(', ')}`
      : null;
  }
}
