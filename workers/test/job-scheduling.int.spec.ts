import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkersConfig } from '@sightline/config';
import { TestContext, eventually } from '@sightline/testing';
import { spawnWorkers, type WorkersProcess } from './workers-harness';

const config = loadWorkersConfig();

describe('job scheduling across replicas', () => {
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const ctx = new TestContext();
  const started: WorkersProcess[] = [];
  afterAll(async () => {
    for (const child of started)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    redis.disconnect();
    await ctx.close();
  });

  it('runs each tick exactly once with two workers on the same schedule', async () => {
    const queueName = `test-jobs-${randomBytes(4).toString('hex')}`;
    const env = { WORKERS_QUEUE: queueName, JOB_EVERY_MS_USAGE_METERING: '1000' };
    const workers = [spawnWorkers(env), spawnWorkers(env)];
    started.push(...workers);
    const ports = await Promise.all(workers.map((w) => w.ready));
    const queue = new Queue(queueName, { connection: redis });
    await new Promise((r) => setTimeout(r, 6_000));
    for (const w of workers) w.kill('SIGTERM');
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);

    const completed = (await queue.getJobs(['completed'], 0, -1)).filter((j) => j.name === 'usage-metering');
    const ticks = completed.map((j) => Number(String(j.id).split(':').pop())).sort((a, b) => a - b);
    const runs = Number(await redis.hget(`${queueName}:monitor`, 'runs:usage-metering'));
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    // One job per tick, ticks 1 s apart, and every job body ran once: no tick was run by both workers.
    expect(new Set(ticks).size).toBe(ticks.length);
    for (let i = 1; i < ticks.length; i++)
      expect((ticks[i] ?? 0) - (ticks[i - 1] ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(runs).toBe(ticks.length);
    expect(ports.every((p) => p > 0)).toBe(true);
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('retries a failing job, keeps it in the failed set with its error, and stays up', async () => {
    await ctx.newSite(); // so metering has a site to count in ClickHouse
    const queueName = `test-jobs-${randomBytes(4).toString('hex')}`;
    const worker = spawnWorkers({
      WORKERS_QUEUE: queueName,
      JOB_EVERY_MS_USAGE_METERING: '3000',
      WORKERS_RETRY_BACKOFF_MS: '100',
      CLICKHOUSE_URL: 'http://127.0.0.1:9', // nothing listens: every attempt fails
    });
    started.push(worker);
    const port = await worker.ready;
    const queue = new Queue(queueName, { connection: redis });
    const failed = await eventually(
      async () => (await queue.getJobs(['failed'], 0, -1)).find((j) => j.name === 'usage-metering'),
      { timeoutMs: 30_000, what: 'usage-metering in the failed set' },
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${worker.output.join('').slice(-3000)}`);
    });
    expect(failed.attemptsMade).toBe(3);
    expect(failed.failedReason).toMatch(/ECONNREFUSED|connect/i);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/sightline_job_failures_total\{job="usage-metering",app="workers"\} 3/);
    expect(worker.exitCode).toBeNull();
    worker.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    await queue.obliterate({ force: true });
    await queue.close();
  });
});
