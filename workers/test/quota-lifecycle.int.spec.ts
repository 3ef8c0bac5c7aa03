import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Redis from 'ioredis';
import type { BillingView } from '@sightline/api-contract';
import { createApi } from '@sightline/api';
import { inheritedEnvironment, loadApiConfig } from '@sightline/config';
import { capacityKey } from '@sightline/plans';
import { EMULATOR_PRICE_ENV, StripeEmulator, emulatorPrices } from '@sightline/stripe-emulator';
import {
  MailCatcher,
  TestContext,
  eventRow,
  eventually,
  insertRows,
  postEvent,
  startFlusher,
  startReceiver,
} from '@sightline/testing';
import { recentCycles } from '@sightline/usage';
import type Stripe from 'stripe';
import { QuotaEvaluationJob } from '../src/billing/quota-evaluation.job';
import { StripeEventJob } from '../src/billing/stripe-event.job';
import type { JobContext } from '../src/jobs/scheduled-job';
import { UsageMeteringJob } from '../src/usage/usage-metering.job';
import { createWorkersApp, type WorkersApp } from '../src/workers-app';
import { testWorkersConfig } from './workers-harness';

const DAY = 86_400_000;

/**
 * The quota lifecycle on the real stores: usage over quota in ClickHouse → metering → grace mail →
 * time advanced → locked (402) → events still ingested and counted → upgrade through the Stripe
 * emulator → unlocked. And the only refusal: an org 30 days past an unpaid period.
 */
describe('quota lifecycle: grace, lock, ingestion continues, upgrade unlocks', () => {
  const ctx = new TestContext();
  const mail = new MailCatcher();
  const stripe = new StripeEmulator({ prices: emulatorPrices() });
  let api: Awaited<ReturnType<typeof createApi>>;
  let apiUrl = '';
  let workers: WorkersApp;
  let metering: UsageMeteringJob;
  let quota: QuotaEvaluationJob;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let flusher: ReturnType<typeof startFlusher>;
  let redis: Redis;
  let jobCtx: JobContext;

  beforeAll(async () => {
    const smtpUrl = await mail.start();
    const stripeUrl = await stripe.start();
    const billingEnv = {
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_URL: stripeUrl,
      ...EMULATOR_PRICE_ENV,
    };
    // The workers consume this file's own queue (webhooks → stripe-event job); the scheduled jobs
    // are run by hand below, with the clock each step needs, so no schedulers are registered.
    const workersConfig = testWorkersConfig({
      SMTP_URL: smtpUrl,
      PUBLIC_APP_URL: 'http://app.sightline.test',
      WORKERS_SCHEDULERS: 'false',
      ...billingEnv,
    });
    api = await createApi(
      loadApiConfig({
        ...inheritedEnvironment(),
        LOG_LEVEL: 'silent',
        SMTP_URL: smtpUrl,
        PUBLIC_APP_URL: 'http://app.sightline.test',
        SIGNUPS_PER_HOUR_PER_IP: '100000',
        // Every client of this file signs up from 127.0.0.1 (the rate-limit test keeps the real budgets).
        RATE_LIMIT_SCALE: '1000',
        ...billingEnv,
        WORKERS_QUEUE: workersConfig.WORKERS_QUEUE,
      }),
    );
    apiUrl = `http://127.0.0.1:${await api.listen('127.0.0.1', 0)}`;
    stripe.webhookUrl = `${apiUrl}/api/stripe/webhook`;
    workers = await createWorkersApp(workersConfig, 'service');
    metering = workers.app.get(UsageMeteringJob);
    quota = workers.app.get(QuotaEvaluationJob);
    jobCtx = { signal: new AbortController().signal, logger: workers.logger, attempt: 1 };
    const ingest = ctx.ingestConfig({ SITE_CACHE_TTL_MS: 100 });
    receiver = await startReceiver(ingest);
    flusher = startFlusher(ingest);
    redis = new Redis(ingest.REDIS_URL);
  });
  afterAll(async () => {
    redis.disconnect();
    await receiver.close();
    await flusher.close();
    await workers.close();
    await api.close();
    await stripe.stop();
    await mail.stop();
    await ctx.close();
  });

  /** Signs an owner up through the API; returns a fetch with their session cookie. */
  async function owner(label: string) {
    const email = `${label}-${ctx.runId}@example.test`;
    const res = await fetch(`${apiUrl}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'a long enough password' }),
    });
    if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
    const cookie = (res.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    const me = (await res.json()) as { orgs: { orgId: string }[] };
    const call = async <T>(method: string, path: string, body?: unknown) => {
      const r = await fetch(`${apiUrl}${path}`, {
        method,
        headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: r.status, body: (await r.json().catch(() => null)) as T };
    };
    return { email, orgId: me.orgs[0]?.orgId ?? '', call };
  }

  async function quotaState(orgId: string) {
    const res = await ctx.pool.query<{ state: string; grace_ends_at: Date | null }>(
      'SELECT state, grace_ends_at FROM quota_states WHERE org_id = $1',
      [orgId],
    );
    return res.rows[0];
  }

  it('goes ok → grace → locked while counting every event, and an upgrade through the emulator unlocks at once', async () => {
    const now = new Date();
    const org = await owner('over');
    const created = await org.call<{ id: number; domain: string }>('POST', `/api/orgs/${org.orgId}/sites`, {
      domain: `over-${ctx.runId}.example.com`,
    });
    const site = created.body;
    // Cycles anchored so the current one began a day ago (8 days later it is still current).
    const anchor = new Date(now.getTime() - DAY);
    anchor.setUTCMonth(anchor.getUTCMonth() - 2);
    await ctx.pool.query('UPDATE orgs SET billing_anchor_at = $2 WHERE id = $1', [org.orgId, anchor]);
    const [current, last, previous] = recentCycles(anchor, now, 2);
    if (!current || !last || !previous) throw new Error('no cycles');
    // Free plan: 10,000 events. Both closed cycles above 11,000 (quota + 10 %).
    const seed = (start: Date, n: number) =>
      Array.from({ length: n }, (_, i) =>
        eventRow(site.id, new Date(start.getTime() + 3_600_000 + i * 1000)),
      );
    await insertRows(ctx.clickhouse, [...seed(previous.start, 11_200), ...seed(last.start, 11_500)]);

    await metering.run(jobCtx, now);
    const billing = await org.call<BillingView>('GET', `/api/orgs/${org.orgId}/billing`);
    expect(billing.body.previousCycles.slice(0, 2).map((c) => c.events)).toEqual([11_500, 11_200]);

    const first = await quota.run(jobCtx, now);
    expect(first.changed).toBeGreaterThanOrEqual(1);
    expect(await quotaState(org.orgId)).toMatchObject({ state: 'grace' });
    const exceeded = await mail.waitFor(org.email, /over its Sightline quota: stats lock on/);
    expect(exceeded.text).toContain('11,200');
    expect(exceeded.text).toContain('11,500');
    expect(exceeded.text).toContain('we suggest Basic');
    // Reruns never resend.
    await quota.run(jobCtx, now);
    expect(mail.mails.filter((m) => /over its Sightline quota/.test(m.subject))).toHaveLength(1);
    const query = { site_id: site.domain, metrics: ['visitors'], date_range: '7d' };
    expect((await org.call('POST', '/api/v2/query', query)).status).toBe(200);

    // Eight days later, still over: locked, one mail.
    const later = new Date(now.getTime() + 8 * DAY);
    await quota.run(jobCtx, later);
    await quota.run(jobCtx, later);
    expect(await quotaState(org.orgId)).toMatchObject({ state: 'locked' });
    await mail.waitFor(org.email, /are locked \(over quota\)/);
    expect(mail.mails.filter((m) => /are locked/.test(m.subject))).toHaveLength(1);
    expect(mail.mails.filter((m) => /Reminder: the stats/.test(m.subject))).toHaveLength(0); // jumped past the reminder day
    const locked = await org.call<{ error: { code: string } }>('POST', '/api/v2/query', query);
    expect(locked).toMatchObject({ status: 402, body: { error: { code: 'quota_locked' } } });

    // Ingestion goes on and is counted in full.
    expect(JSON.parse((await redis.get(capacityKey(site.id))) ?? '{}')).toMatchObject({ accept: true });
    for (let i = 0; i < 5; i++) {
      const res = await postEvent(receiver.url, {
        name: 'pageview',
        url: `https://${site.domain}/p${i}`,
        domain: site.domain,
      });
      expect(res.status).toBe(202);
    }
    await eventually(async () => (await ctx.countEvents(site.id)) === 22_705, {
      what: 'the 5 new events stored',
    });
    await metering.run(jobCtx, new Date());
    const counted = await org.call<BillingView>('GET', `/api/orgs/${org.orgId}/billing`);
    expect(counted.body.usage?.events).toBeGreaterThanOrEqual(5);
    expect(counted.body.quota.state).toBe('locked');

    // Upgrade through the emulator: the webhook's stripe-event job unlocks at once.
    const checkout = await org.call<{ url: string }>('POST', `/api/orgs/${org.orgId}/billing/checkout`, {
      plan: 'basic',
    });
    expect(checkout.status).toBe(200);
    await fetch(checkout.body.url, { method: 'POST', redirect: 'manual' });
    await expect.poll(() => quotaState(org.orgId), { timeout: 60_000 }).toMatchObject({ state: 'ok' });
    expect((await org.call('POST', '/api/v2/query', query)).status).toBe(200);
    // Stripe's billing cycle anchor is now the org's usage anchor.
    const anchorRow = await ctx.pool.query<{ billing_anchor_at: Date }>(
      'SELECT billing_anchor_at FROM orgs WHERE id = $1',
      [org.orgId],
    );
    const sub = stripe.events.findLast((e) => e.type === 'customer.subscription.created')?.data.object;
    expect(anchorRow.rows[0]?.billing_anchor_at).toBeTruthy();
    // The job body is idempotent: run again for a handled event, it does nothing.
    const completed = stripe.events.findLast((e) => e.type === 'checkout.session.completed');
    const processed = async () =>
      (
        await ctx.pool.query('SELECT 1 FROM stripe_events WHERE id = $1 AND processed_at IS NOT NULL', [
          completed?.id,
        ])
      ).rowCount;
    await expect.poll(processed, { timeout: 60_000 }).toBe(1);
    const again = await workers.app
      .get(StripeEventJob)
      .run({ event: completed as unknown as Stripe.Event }, jobCtx);
    expect(again).toEqual({ event: completed?.id, skipped: 'already processed' });
    expect(anchorRow.rows[0]?.billing_anchor_at.getTime()).toBe(Number(sub?.['billing_cycle_anchor']) * 1000);
  });

  it('refuses events only 30 days after an unpaid period, warns 7 days and 1 day before, and counts every refused event', async () => {
    const org = await owner('unpaid');
    const created = await org.call<{ id: number; domain: string }>('POST', `/api/orgs/${org.orgId}/sites`, {
      domain: `unpaid-${ctx.runId}.example.com`,
    });
    const site = created.body;
    const checkout = await org.call<{ url: string }>('POST', `/api/orgs/${org.orgId}/billing/checkout`, {
      plan: 'basic',
    });
    await fetch(checkout.body.url, { method: 'POST', redirect: 'manual' });
    const subId = String(
      stripe.events.findLast((e) => e.type === 'customer.subscription.created')?.data.object['id'],
    );
    await stripe.failPayment(subId);
    await stripe.markUnpaid(subId);
    const unpaid = async () =>
      (
        await ctx.pool.query<{ subscription_status: string; current_period_end: Date }>(
          'SELECT subscription_status, current_period_end FROM billing_profiles WHERE org_id = $1',
          [org.orgId],
        )
      ).rows[0]?.subscription_status;
    await expect.poll(unpaid, { timeout: 60_000 }).toBe('unpaid');
    const profile = await ctx.pool.query<{ current_period_end: Date }>(
      'SELECT current_period_end FROM billing_profiles WHERE org_id = $1',
      [org.orgId],
    );
    const periodEnd = profile.rows[0]?.current_period_end ?? new Date();
    const refusesAt = periodEnd.getTime() + 30 * DAY;

    // 8 days before: nothing; 6 days before: the 7-day warning; 12 h before: the 1-day warning.
    await quota.run(jobCtx, new Date(refusesAt - 8 * DAY));
    expect(
      mail.mails.filter((m) => m.to.includes(org.email) && /stops recording events/.test(m.subject)),
    ).toHaveLength(0);
    await quota.run(jobCtx, new Date(refusesAt - 6 * DAY));
    await quota.run(jobCtx, new Date(refusesAt - DAY / 2));
    await quota.run(jobCtx, new Date(refusesAt - DAY / 2));
    expect(
      mail.mails.filter((m) => m.to.includes(org.email) && /stops recording events/.test(m.subject)),
    ).toHaveLength(2);
    const accepted = await postEvent(receiver.url, {
      name: 'pageview',
      url: `https://${site.domain}/`,
      domain: site.domain,
    });
    expect(accepted.status).toBe(202);

    // Past the 30 days: the ingest refuses (after its 30 s in-process cache; a fresh receiver reads Redis at once).
    await quota.run(jobCtx, new Date(refusesAt + DAY));
    expect(JSON.parse((await redis.get(capacityKey(site.id))) ?? '{}')).toMatchObject({
      accept: false,
      reason: 'unpaid',
    });
    const fresh = await startReceiver(ctx.ingestConfig({ SITE_CACHE_TTL_MS: 100 }));
    try {
      for (let i = 0; i < 3; i++) {
        const refused = await postEvent(fresh.url, {
          name: 'pageview',
          url: `https://${site.domain}/`,
          domain: site.domain,
        });
        expect(refused.status).toBe(402);
        expect(await refused.json()).toMatchObject({ error: { code: 'payment_required' } });
      }
    } finally {
      await fresh.close();
    }
    const billing = await org.call<BillingView>('GET', `/api/orgs/${org.orgId}/billing`);
    expect(billing.body.ingestion.refusedEvents).toBe(3);

    // Paying lifts it: the webhook's job rewrites the decision at once.
    await stripe.payOpenInvoice(subId);
    await expect
      .poll(async () => JSON.parse((await redis.get(capacityKey(site.id))) ?? '{}') as unknown, {
        timeout: 60_000,
      })
      .toMatchObject({ accept: true });
  });
});
