import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryEngine, authorizeSite } from '@sightline/query';
import { eventRow, freeLoopbackPort, insertRows, MailCatcher, TestContext } from '@sightline/testing';
import { EmailReportsJob } from '../src/reports/email-reports.job';
import { lastCompletePeriod } from '../src/reports/report-period';
import { createWorkersApp, type WorkersApp } from '../src/workers-app';
import { testWorkersConfig } from './workers-harness';

describe('email-reports', () => {
  const ctx = new TestContext();
  const mail = new MailCatcher();
  let workers: WorkersApp;
  let job: EmailReportsJob;
  const now = new Date();
  const context = (w = workers) => ({ signal: new AbortController().signal, logger: w.logger, attempt: 1 });

  let smtpUrl: string;

  beforeAll(async () => {
    smtpUrl = await mail.start();
    workers = await createWorkersApp(testWorkersConfig({ SMTP_URL: smtpUrl }), 'cli');
    job = workers.app.get(EmailReportsJob);
  });
  afterAll(async () => {
    await workers.close();
    await mail.stop();
    await ctx.close();
  });

  /** Puts the org on a plan (an active subscription), as a Stripe webhook would. */
  async function setPlan(orgId: string, planCode: 'free' | 'basic' | 'premium') {
    await ctx.pool.query(
      `INSERT INTO billing_profiles (org_id, plan_code, subscription_status) VALUES ($1, $2, 'active')
       ON CONFLICT (org_id) DO UPDATE SET plan_code = $2, subscription_status = 'active'`,
      [orgId, planCode],
    );
  }

  /** A member of a new org with a site (on Basic: email reports are a paid feature), opted in to weekly reports long ago. */
  async function subscribedMember(timezone = 'Europe/Berlin', planCode: 'free' | 'basic' = 'basic') {
    const email = `member-${randomBytes(4).toString('hex')}@example.test`;
    const user = await ctx.pool.query<{ id: string }>(
      "INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id",
      [email],
    );
    const userId = user.rows[0]?.id as string;
    const site = await ctx.newSite({ timezone: 'UTC' });
    await setPlan(site.orgId, planCode);
    await ctx.pool.query('UPDATE sites SET timezone = $2 WHERE id = $1', [site.id, timezone]);
    await ctx.pool.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'owner')", [
      site.orgId,
      userId,
    ]);
    await ctx.pool.query(
      "INSERT INTO report_subscriptions (site_id, user_id, weekly_since) VALUES ($1, $2, '2020-01-01')",
      [site.id, userId],
    );
    return { email, userId, site };
  }

  const deliveries = async (siteId: number) =>
    Number(
      (await ctx.pool.query('SELECT count(*) AS c FROM report_deliveries WHERE site_id = $1', [siteId]))
        .rows[0]?.c,
    );

  it("sends last week's report once, with the query engine's numbers in the site's time zone", async () => {
    const { email, site } = await subscribedMember('Europe/Berlin');
    const period = lastCompletePeriod('weekly', now, 'Europe/Berlin');
    const day = (d: string, time: string) => new Date(`${d}T${time}Z`);
    const first = period.firstDate;
    // Monday 00:30 Berlin is still Sunday in UTC: it belongs to this week in the site's zone.
    const mondayEarly = new Date(period.endsAt.getTime() - 7 * 86400_000 + 30 * 60_000);
    await insertRows(ctx.clickhouse, [
      eventRow(site.id, mondayEarly, { visitor_id: 1n, session_id: 11n, pathname: '/pricing' }),
      eventRow(site.id, day(first, '10:00:00'), {
        visitor_id: 2n,
        session_id: 21n,
        pathname: '/',
        referrer_source: 'Google',
      }),
      eventRow(site.id, day(first, '10:01:00'), {
        visitor_id: 2n,
        session_id: 21n,
        pathname: '/pricing',
        referrer_source: 'Google',
      }),
      eventRow(site.id, day(period.lastDate, '12:00:00'), {
        visitor_id: 3n,
        session_id: 31n,
        pathname: '/',
        country_code: 'FR',
      }),
      eventRow(site.id, day(period.lastDate, '12:00:05'), {
        visitor_id: 3n,
        session_id: 31n,
        name: 'Signup',
        pathname: '/',
      }),
      // the week before (comparison)
      eventRow(site.id, new Date(period.endsAt.getTime() - 10 * 86400_000), {
        visitor_id: 9n,
        session_id: 91n,
      }),
    ]);

    const result = await job.run(context(), now);
    expect(result.sent).toBeGreaterThanOrEqual(1);
    const report = await mail.waitFor(email, /^Weekly report for /);
    expect(report.subject).toContain(site.domain);

    // The same numbers through the query engine, as POST /api/v2/query computes them.
    const engine = new QueryEngine(ctx.clickhouse);
    const authorized = authorizeSite({ id: site.id, domain: site.domain, timezone: 'Europe/Berlin' });
    const expected = await engine.run(authorized, {
      site_id: site.domain,
      metrics: ['visitors', 'pageviews', 'bounce_rate'],
      date_range: [period.firstDate, period.lastDate],
      include: { comparisons: { mode: 'previous_period' } },
    });
    const [visitors, pageviews, bounceRate] = expected.results[0]?.metrics ?? [];
    expect([visitors, pageviews]).toEqual([3, 4]); // hand count: visitors 1, 2, 3; 4 pageviews
    expect(report.text).toContain(`Unique visitors: ${visitors} (`);
    expect(report.text).toContain(`Pageviews: ${pageviews} (`);
    expect(report.text).toContain(`Bounce rate: ${bounceRate}%`);
    const change = expected.results[0]?.comparison?.change[0];
    expect(report.text).toContain(
      `Unique visitors: 3 (${change !== null && change !== undefined && change > 0 ? '+' : ''}${change}% vs previous period)`,
    );
    expect(report.text).toMatch(/Top pages:\r?\n {2}\/(pricing)?: 2\r?\n {2}\/(pricing)?: 2/);
    expect(report.text).toMatch(/Top sources:\r?\n {2}Direct \/ None: 2\r?\n {2}Google: 1/);
    const countries = await engine.run(authorized, {
      site_id: site.domain,
      metrics: ['visitors'],
      date_range: [period.firstDate, period.lastDate],
      dimensions: ['visit:country'],
      pagination: { limit: 5 },
    });
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    for (const row of countries.results)
      expect(report.text).toContain(`${names.of(String(row.dimensions[0]))}: ${row.metrics[0]}`);
    expect(report.text).not.toContain('estimated from'); // a small site is read whole
    expect(report.raw).toMatch(/Content-Type: image\/png/);
    expect(report.raw).toMatch(/Content-ID: <visitors-chart@sightline>/);
    expect(report.raw).toMatch(/List-Unsubscribe:\s+<http[^>]+\/api\/email-reports\/unsubscribe\?token=/);
    expect(await deliveries(site.id)).toBe(1);

    // A rerun sends nothing new.
    const before = mail.mails.length;
    const again = await job.run(context(), now);
    expect(again.sent).toBe(0);
    expect(mail.mails.length).toBe(before);
  });

  it("says when a big site's figures are estimated from a sample of its visitors", async () => {
    // Workers that sample above 30 events in a range, down to about 20 rows: 1 in 3 for 60 events.
    const sampling = await createWorkersApp(
      testWorkersConfig({
        SMTP_URL: smtpUrl,
        QUERY_SAMPLE_ABOVE_ROWS: '30',
        QUERY_SAMPLE_TARGET_ROWS: '20',
      }),
      'cli',
    );
    try {
      const { email, site } = await subscribedMember('UTC');
      const period = lastCompletePeriod('weekly', now, 'UTC');
      const noon = new Date(`${period.firstDate}T12:00:00Z`).getTime();
      await insertRows(
        ctx.clickhouse,
        Array.from({ length: 60 }, (_, v) => {
          // Fibonacci hashing spreads the ids over the range SAMPLE divides, as real visitor hashes are.
          const visitor = BigInt.asUintN(64, BigInt(v + 1) * 0x9e3779b97f4a7c15n);
          return eventRow(site.id, new Date(noon + v * 1000), { visitor_id: visitor, session_id: visitor });
        }),
      );
      await sampling.app.get(EmailReportsJob).run(context(sampling), now);
      const report = await mail.waitFor(email, /^Weekly report for /);
      expect(report.text).toContain(
        "Figures are estimated from 1 in 3 of this period's visitors (a sample: counts may be off by a few percent).",
      );
      // Counts are scaled up from the sample: 20 of the 60 evenly spread visitors, times 3.
      expect(report.text).toContain('Unique visitors: 60');
    } finally {
      await sampling.close();
    }
  });

  it('says so when a site had no traffic, and a broken time zone does not stop the others', async () => {
    const quiet = await subscribedMember('UTC');
    const broken = await subscribedMember('Not/AZone');
    const result = await job.run(context(), now);
    expect(Number(result.skippedSites)).toBeGreaterThanOrEqual(1);
    const report = await mail.waitFor(quiet.email, /^Weekly report for /);
    expect(report.text).toContain('No visitors were recorded in this period');
    expect(report.raw).not.toMatch(/image\/png/);
    expect(mail.mails.some((m) => m.to.includes(broken.email))).toBe(false);
  });

  it('retries later when SMTP is down and then sends each report once', async () => {
    const member = await subscribedMember('UTC');
    const deadSmtp = `smtp://127.0.0.1:${await freeLoopbackPort()}`;
    const offline = await createWorkersApp(testWorkersConfig({ SMTP_URL: deadSmtp }), 'cli');
    try {
      await expect(offline.app.get(EmailReportsJob).run(context(offline), now)).rejects.toThrow(/not sent/);
    } finally {
      await offline.close();
    }
    expect(await deliveries(member.site.id)).toBe(0);
    expect(mail.mails.filter((m) => m.to.includes(member.email))).toHaveLength(0);

    await job.run(context(), now);
    await job.run(context(), now);
    expect(mail.mails.filter((m) => m.to.includes(member.email))).toHaveLength(1);
    expect(await deliveries(member.site.id)).toBe(1);
  });

  it('sends nothing to an org whose plan lacks email reports (a downgrade), keeps the opt-in, and resumes after an upgrade', async () => {
    const member = await subscribedMember('UTC', 'basic');
    await setPlan(member.site.orgId, 'free');
    const result = await job.run(context(), now);
    expect(Number(result.notInPlan)).toBeGreaterThanOrEqual(1);
    expect(mail.mails.filter((m) => m.to.includes(member.email))).toHaveLength(0);
    expect(await deliveries(member.site.id)).toBe(0);
    const kept = await ctx.pool.query('SELECT weekly_since FROM report_subscriptions WHERE site_id = $1', [
      member.site.id,
    ]);
    expect(kept.rows[0]?.weekly_since).not.toBeNull();

    await setPlan(member.site.orgId, 'basic');
    await job.run(context(), now);
    await mail.waitFor(member.email, /^Weekly report for /);
    expect(await deliveries(member.site.id)).toBe(1);
  });
});
