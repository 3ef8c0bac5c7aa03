import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows, MailCatcher, TestContext } from '@sightline/testing';
import { StaffDigestJob } from '../src/digest/staff-digest.job';
import { createWorkersApp, type WorkersApp } from '../src/workers-app';
import { testWorkersConfig } from './workers-harness';

describe('staff-digest', () => {
  const ctx = new TestContext();
  const mail = new MailCatcher();
  const deadKey = `test:events:${randomBytes(4).toString('hex')}:dead`;
  let redis: Redis;
  let workers: WorkersApp;

  beforeAll(async () => {
    const smtpUrl = await mail.start();
    const config = testWorkersConfig({
      SMTP_URL: smtpUrl,
      STAFF_EMAILS: 'ops@example.test, cto@example.test',
      DEAD_LETTER_KEY: deadKey,
    });
    workers = await createWorkersApp(config, 'cli');
    redis = new Redis(config.REDIS_URL);
  });
  afterAll(async () => {
    redis.disconnect();
    await workers.close();
    await mail.stop();
    await ctx.close();
  });

  it("mails the day's figures to every staff address, once a day", async () => {
    const site = await ctx.newSite();
    const now = new Date();
    await insertRows(ctx.clickhouse, [
      eventRow(site.id, new Date(now.getTime() - 3600_000)),
      eventRow(site.id, now),
    ]);
    await redis.xadd(deadKey, '*', 'row', '{}', 'error', 'bad');
    await redis.xadd(deadKey, '*', 'row', '{}', 'error', 'bad');
    const job = workers.app.get(StaffDigestJob);
    const context = { signal: new AbortController().signal, logger: workers.logger, attempt: 1 };
    const later = new Date(now.getTime() + 1000);
    const result = await job.run(context, later);
    expect(result).toMatchObject({ sent: 2, deadLettered: 2 });
    expect(Number(result.eventsIngested)).toBeGreaterThanOrEqual(2);
    expect(Number(result.newSites)).toBeGreaterThanOrEqual(1);
    for (const to of ['ops@example.test', 'cto@example.test']) {
      const digest = await mail.waitFor(to, /^Sightline staff digest for /);
      expect(digest.text).toMatch(/Dead-lettered events: +2 /);
      expect(digest.text).toMatch(new RegExp(`Events ingested: +${result.eventsIngested}`));
    }
    expect(await job.run(context, later)).toMatchObject({ sent: 0 });
    expect(mail.mails).toHaveLength(2);
  });
});
