import type { Logger } from 'pino';

/** When a job runs: a fixed interval, or a cron pattern evaluated in UTC. */
export type JobSchedule = { every: number } | { pattern: string };

export interface JobContext {
  /** Aborted when the job exceeds its timeout; long loops check it between steps. */
  signal: AbortSignal;
  logger: Logger;
  /** 1 for the first try. */
  attempt: number;
}

/** What a run did, printed by `npm run job` and logged: rows written, mails sent, ... */
export type JobResult = Record<string, number | string>;

/**
 * One scheduled job (one `*.job.ts` each). BullMQ job schedulers run it once per tick across all
 * worker replicas; the body must be idempotent, since a retried or re-run job repeats it.
 */
export interface ScheduledJob {
  readonly name: string;
  readonly description: string;
  readonly schedule: JobSchedule;
  /** Expected gap between two runs; /readyz fails when a success is older than twice this. */
  readonly periodMs: number;
  readonly timeoutMs: number;
  /** Tries before the job lands in the failed set (exponential backoff in between). */
  readonly attempts: number;
  /** A frequent job's idle runs (this returns true) are logged at debug level, not info. */
  quietWhen?(result: JobResult): boolean;
  run(ctx: JobContext): Promise<JobResult>;
}

/**
 * A job run on demand with data (one `*.job.ts` each): another process adds it to the queue with
 * its options (retries, backoff); it has no schedule. The body must be idempotent too.
 */
export interface QueuedJob<Data = unknown> {
  readonly name: string;
  readonly description: string;
  readonly timeoutMs: number;
  /** Tries before the job lands in the failed set (set by the producer; shown by `npm run job -- --list`). */
  readonly attempts: number;
  run(data: Data, ctx: JobContext): Promise<JobResult>;
}

/** What the runner needs of either kind of job. */
export type RunnableJob = Pick<ScheduledJob, 'name' | 'timeoutMs' | 'run'> &
  Partial<Pick<ScheduledJob, 'quietWhen'>>;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function describeSchedule(schedule: JobSchedule): string {
  if ('pattern' in schedule) return `cron "${schedule.pattern}" (UTC)`;
  const ms = schedule.every;
  if (ms % HOUR === 0) return `every ${ms / HOUR} h`;
  if (ms % MINUTE === 0) return `every ${ms / MINUTE} min`;
  return `every ${ms} ms`;
}

/** Thrown into a job's body through its AbortSignal when it runs past its timeout. */
export class JobTimeoutError extends Error {
  constructor(job: string, timeoutMs: number) {
    super(`job ${job} timed out after ${timeoutMs} ms`);
    this.name = 'JobTimeoutError';
  }
}
