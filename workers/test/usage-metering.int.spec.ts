import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows, TestContext } from '@sightline/testing';
import type { ScheduledJob } from '../src/jobs/scheduled-job';
import { UsageMeteringJob } from '../src/usage/usage-metering.job';
import { createWorkersApp, type WorkersApp } from '../src/workers-app';
import { testWorkersConfig } from './workers-harness';

describe('usage-metering', () => {
  const ctx = new TestContext();
  let workers: WorkersApp;
  let job: UsageMeteringJob;

  beforeAll(async () => {
    workers = await createWorkersApp(testWorkersConfig(), 'cli');
    job = workers.app.get(UsageMeteringJob);
  });
  afterAll(async () => {
    await workers.close();
    await ctx.close();
  });

  async function cyclesOf(orgId: string) {
    const result = await ctx.pool.query<{ start: Date; end: Date; events: string }>(
      'SELECT cycle_start AS start, cycle_end AS end, events FROM usage_cycles WHERE org_id = $1 ORDER BY cycle_start',
      [orgId],
    );
    return result.rows.map((r) => [r.start.toISOString(), r.end.toISOString(), Number(r.events)]);
  }

  it('equals a hand count across cycle boundaries with an anchor on the 31st, over all sites of the org', async () => {
    const orgId = await ctx.newOrg('metered');
    await ctx.pool.query("UPDATE orgs SET billing_anchor_at = '2025-07-31T00:00:00Z' WHERE id = $1", [orgId]);
    const a = await ctx.newSite({ orgId });
    const b = await ctx.newSite({ orgId, timezone: 'Pacific/Kiritimati' });
    const other = await ctx.newSite(); // another org: never counted here
    const now = new Date('2026-03-10T12:00:00Z');
    // Cycles for an anchor on the 31st at 00:00 UTC, as of 10 March 2026:
    //   [2025-12-31, 2026-01-31)  [2026-01-31, 2026-02-28)  [2026-02-28, 2026-03-31)
    await insertRows(ctx.clickhouse, [
      eventRow(a.id, '2025-12-30T23:59:59Z'), // before the oldest cycle: not counted
      eventRow(a.id, '2025-12-31T00:00:00Z'), // cycle 0
      eventRow(b.id, '2026-01-15T10:00:00Z', { name: 'Signup' }), // cycle 0 (custom event)
      eventRow(a.id, '2026-01-30T23:59:59Z'), // cycle 0
      eventRow(a.id, '2026-01-31T00:00:00Z'), // cycle 1
      eventRow(b.id, '2026-02-27T23:59:59Z', { name: 'Outbound Link: Click' }), // cycle 1
      eventRow(a.id, '2026-02-28T00:00:00Z'), // cycle 2 (28 February: the 31st clamped)
      eventRow(b.id, '2026-03-01T00:00:00Z'), // cycle 2
      eventRow(b.id, '2026-03-10T11:59:00Z', { name: 'File Download' }), // cycle 2
      eventRow(other.id, '2026-03-01T00:00:00Z'),
      eventRow(other.id, '2026-02-01T00:00:00Z'),
      // Engagement pings (sent when a page is hidden) are not billable events.
      eventRow(a.id, '2026-01-10T00:00:00Z', { name: 'engagement', scroll_depth: 60, engagement_time: 9000 }),
      eventRow(b.id, '2026-03-02T00:00:00Z', { name: 'engagement', scroll_depth: 100, engagement_time: 1 }),
    ]);

    const result = await job.run(
      { signal: new AbortController().signal, logger: workers.logger, attempt: 1 },
      now,
    );
    expect(result.cyclesWritten).toBeGreaterThanOrEqual(3);
    expect(await cyclesOf(orgId)).toEqual([
      ['2025-12-31T00:00:00.000Z', '2026-01-31T00:00:00.000Z', 3],
      ['2026-01-31T00:00:00.000Z', '2026-02-28T00:00:00.000Z', 2],
      ['2026-02-28T00:00:00.000Z', '2026-03-31T00:00:00.000Z', 3],
    ]);
    // The other org's anchor is its creation (today's day of month); its two events are counted there only.
    expect((await cyclesOf(other.orgId)).reduce((sum, c) => sum + Number(c[2]), 0)).toBe(2);

    // Idempotent: a rerun after more events overwrites the same rows with the new counts.
    await insertRows(ctx.clickhouse, [eventRow(b.id, '2026-03-05T00:00:00Z')]);
    await job.run({ signal: new AbortController().signal, logger: workers.logger, attempt: 1 }, now);
    expect((await cyclesOf(orgId)).map((c) => c[2])).toEqual([3, 2, 4]);
  });

  it('uses the sign-up time as the anchor until billing sets one, and writes zero rows for an org without sites', async () => {
    const orgId = await ctx.newOrg('no-sites');
    await ctx.pool.query("UPDATE orgs SET created_at = '2026-01-29T15:30:00Z' WHERE id = $1", [orgId]);
    const now = new Date('2026-03-01T00:00:00Z');
    await job.run({ signal: new AbortController().signal, logger: workers.logger, attempt: 1 }, now);
    expect(await cyclesOf(orgId)).toEqual([
      ['2025-12-29T15:30:00.000Z', '2026-01-29T15:30:00.000Z', 0],
      ['2026-01-29T15:30:00.000Z', '2026-02-28T15:30:00.000Z', 0],
      ['2026-02-28T15:30:00.000Z', '2026-03-29T15:30:00.000Z', 0],
    ]);
  });

  it('runs through the job runner and records its last success', async () => {
    const definition = workers.jobs.find((j: ScheduledJob) => j.name === 'usage-metering');
    expect(definition).toBeDefined();
    const result = await workers.runner.run(definition as ScheduledJob, { attempt: 1 });
    expect(result.orgs).toBeGreaterThan(0);
    const marks = await workers.monitor.marks();
    expect(Date.now() - (marks.success.get('usage-metering') ?? 0)).toBeLessThan(60_000);
    const metrics = await workers.registry.metrics();
    expect(metrics).toMatch(
      /sightline_job_last_success_timestamp_seconds\{job="usage-metering",app="workers"\} \d+/,
    );
  });
});
