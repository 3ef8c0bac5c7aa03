import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillingView, PlanView } from '@sightline/api-contract';
import { capacityKey } from '@sightline/plans';
import { eventually } from '@sightline/testing';
import Redis from 'ioredis';
import { BillingHarness } from './billing-harness';

interface ProfileRow {
  plan_code: string;
  billing_interval: string | null;
  stripe_customer_id: string | null;
  stripe_subscription_id: string | null;
  subscription_status: string | null;
  current_period_end: Date | null;
  cancel_at_period_end: boolean;
  failed_payment_attempts: number;
}

describe('billing: plans, checkout through the Stripe emulator, webhooks', () => {
  const api = new BillingHarness();
  const { ctx } = api;
  let redis: Redis;
  beforeAll(async () => {
    await api.start();
    redis = new Redis(api.config.REDIS_URL);
  });
  afterAll(async () => {
    redis.disconnect();
    await api.stop();
  });

  async function profile(orgId: string): Promise<ProfileRow | undefined> {
    const res = await ctx.pool.query<ProfileRow>('SELECT * FROM billing_profiles WHERE org_id = $1', [orgId]);
    return res.rows[0];
  }
  /** Polls the org's profile until it matches: webhooks are handled by the workers' stripe-event job. */
  async function settledProfile(
    orgId: string,
    expected: Partial<ProfileRow>,
  ): Promise<ProfileRow | undefined> {
    await expect.poll(() => profile(orgId), { timeout: 60_000, interval: 100 }).toMatchObject(expected);
    return profile(orgId);
  }
  async function processed(id: string): Promise<boolean> {
    const res = await ctx.pool.query(
      'SELECT 1 FROM stripe_events WHERE id = $1 AND processed_at IS NOT NULL',
      [id],
    );
    return (res.rowCount ?? 0) > 0;
  }
  async function storedEvents(id: string): Promise<number> {
    const res = await ctx.pool.query('SELECT 1 FROM stripe_events WHERE id = $1', [id]);
    return res.rowCount ?? 0;
  }
  /** POSTs a webhook body with the given signature header, as Stripe would. */
  function postWebhook(body: string, signature?: string) {
    return fetch(`${api.baseUrl}/api/stripe/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'stripe-signature': signature } : {}),
      },
      body,
    });
  }

  it('serves the plan table publicly', async () => {
    const res = await api.client().get<PlanView[]>('/api/plans');
    expect(res.status).toBe(200);
    expect(res.body.map((p) => p.code)).toEqual(['free', 'basic', 'premium']);
    expect(res.body[1]).toMatchObject({
      monthlyEventQuota: 100_000,
      generation: 1,
      displayPrice: { monthly: 900 },
    });
  });

  it('upgrades through checkout: customer, session, emulator form, webhook → Postgres, success-page sync', async () => {
    const owner = await api.signedUpUser('checkout');
    const site = await ctx.newSite({ orgId: owner.orgId });
    const before = await owner.client.get<BillingView>(`/api/orgs/${owner.orgId}/billing`);
    expect(before.body).toMatchObject({
      billingEnabled: true,
      plan: { code: 'free' },
      quota: { state: 'ok' },
    });

    const bad = await owner.client.post(`/api/orgs/${owner.orgId}/billing/checkout`, { plan: 'gold' });
    expect(bad).toMatchObject({ status: 400, body: { error: { field: 'plan' } } });
    const noPortal = await owner.client.post(`/api/orgs/${owner.orgId}/billing/portal`);
    expect(noPortal).toMatchObject({ status: 409, body: { error: { code: 'no_customer' } } });

    const { sessionId, subscriptionId, successUrl } = await api.subscribe(
      owner.client,
      owner.orgId,
      'basic',
      'yearly',
    );
    expect(successUrl).toBe(`http://app.sightline.test/orgs/${owner.orgId}/billing?checkout=${sessionId}`);
    // The webhooks were delivered (and answered 200) before the emulator redirected; the workers'
    // stripe-event job writes what Stripe says.
    expect(api.stripe.deliveries.slice(-3).map((d) => [d.event.type, d.status])).toEqual([
      ['customer.subscription.created', 200],
      ['invoice.paid', 200],
      ['checkout.session.completed', 200],
    ]);
    const row = await settledProfile(owner.orgId, {
      plan_code: 'basic',
      billing_interval: 'yearly',
      stripe_subscription_id: subscriptionId,
      subscription_status: 'active',
      cancel_at_period_end: false,
    });
    for (const d of api.stripe.deliveries.slice(-3))
      await expect.poll(() => processed(d.event.id), { timeout: 60_000 }).toBe(true);
    expect(row?.stripe_customer_id).toMatch(/^cus_/);
    expect(new Date(row?.current_period_end ?? 0).getTime()).toBeGreaterThan(Date.now() + 360 * 86_400_000);

    const synced = await owner.client.post<BillingView>(`/api/orgs/${owner.orgId}/billing/sync`, {
      sessionId,
    });
    expect(synced.body).toMatchObject({
      plan: { code: 'basic' },
      subscriptionStatus: 'active',
      interval: 'yearly',
    });
    // Another org's session id does not sync into this org.
    const stranger = await api.signedUpUser('stranger');
    const foreign = await stranger.client.post(`/api/orgs/${stranger.orgId}/billing/sync`, { sessionId });
    expect(foreign.status).toBe(404);

    // A second checkout is refused: plan changes go through the portal.
    const again = await owner.client.post(`/api/orgs/${owner.orgId}/billing/checkout`, { plan: 'premium' });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'already_subscribed' } } });
    const portal = await owner.client.post<{ url: string }>(`/api/orgs/${owner.orgId}/billing/portal`);
    expect(portal.status).toBe(200);
    expect(portal.body.url).toMatch(/\/portal\/bps_/);
    // The portal's plan change reaches Postgres through the webhook.
    const portalPage = await fetch(portal.body.url);
    expect(await portalPage.text()).toContain('Basic (yearly)');
    await fetch(`${portal.body.url}/plan`, {
      method: 'POST',
      body: new URLSearchParams({ price: 'price_emulator_premium_monthly' }),
      redirect: 'manual',
    });
    await settledProfile(owner.orgId, { plan_code: 'premium', billing_interval: 'monthly' });
    await fetch(`${portal.body.url}/cancel`, { method: 'POST', redirect: 'manual' });
    await settledProfile(owner.orgId, { plan_code: 'premium', cancel_at_period_end: true });

    // Every plan change refreshed the ingest's capacity decision for the org's sites.
    await expect.poll(() => redis.get(capacityKey(site.id)), { timeout: 60_000 }).not.toBeNull();
    expect(JSON.parse((await redis.get(capacityKey(site.id))) ?? '{}')).toEqual({
      accept: true,
      orgId: owner.orgId,
      reason: null,
    });
  });

  it('offers in the portal only the plans the org fits: an outgrown downgrade is not offered, and a forged one is refused', async () => {
    const owner = await api.signedUpUser('portal-fit');
    await api.subscribe(owner.client, owner.orgId, 'premium');
    await settledProfile(owner.orgId, { plan_code: 'premium', subscription_status: 'active' });
    // The current cycle already has 150,000 events: over Basic's 100,000, within Premium's 1,000,000.
    const now = Date.now();
    await ctx.pool.query(
      'INSERT INTO usage_cycles (org_id, cycle_start, cycle_end, events, computed_at) VALUES ($1, $2, $3, $4, now())',
      [owner.orgId, new Date(now - 86_400_000), new Date(now + 20 * 86_400_000), 150_000],
    );
    const portal = await owner.client.post<{ url: string }>(`/api/orgs/${owner.orgId}/billing/portal`);
    expect(portal.status).toBe(200);
    const html = await (await fetch(portal.body.url)).text();
    expect(html).toContain('price_emulator_premium_yearly');
    expect(html).not.toContain('price_emulator_basic_monthly');
    expect(html).not.toContain('price_emulator_basic_yearly');
    // The portal session runs on a configuration that allows only Premium's prices.
    const configurations = await (
      await fetch(`${api.stripe.url}/v1/billing_portal/configurations`, {
        headers: { authorization: `Bearer ${api.stripe.secretKey}` },
      })
    ).json();
    const premiumOnly = (configurations as { data: { metadata: Record<string, string> }[] }).data.find(
      (c) =>
        c.metadata['sightline_allowed_prices'] ===
        'price_emulator_premium_monthly,price_emulator_premium_yearly',
    );
    expect(premiumOnly).toBeDefined();

    // A hand-made form for Basic is refused by the portal; the plan stays.
    const events = api.stripe.events.length;
    const forged = await fetch(`${portal.body.url}/plan`, {
      method: 'POST',
      body: new URLSearchParams({ price: 'price_emulator_basic_monthly' }),
      redirect: 'manual',
    });
    expect(forged.status).toBe(400);
    expect(api.stripe.events.length).toBe(events);
    expect(await profile(owner.orgId)).toMatchObject({ plan_code: 'premium' });

    // Support's one-time override opens every plan for one portal session.
    await ctx.pool.query('UPDATE billing_profiles SET plan_check_override = true WHERE org_id = $1', [
      owner.orgId,
    ]);
    const opened = await owner.client.post<{ url: string }>(`/api/orgs/${owner.orgId}/billing/portal`);
    expect(await (await fetch(opened.body.url)).text()).toContain('price_emulator_basic_monthly');
    const next = await owner.client.post<{ url: string }>(`/api/orgs/${owner.orgId}/billing/portal`);
    expect(await (await fetch(next.body.url)).text()).not.toContain('price_emulator_basic_monthly');
  });

  it('lets only owners start checkout or open the portal', async () => {
    const owner = await api.signedUpUser('owner-only');
    const email = api.uniqueEmail('admin');
    await owner.client.post(`/api/orgs/${owner.orgId}/invitations`, { email, role: 'admin' });
    const { MailCatcher } = await import('@sightline/testing');
    const token = MailCatcher.tokenFrom(await api.mail.waitFor(email, /invited to/));
    const admin = api.client();
    await admin.post('/api/auth/signup', { email, password: 'admin password 123', invitationToken: token });
    const res = await admin.post(`/api/orgs/${owner.orgId}/billing/checkout`, { plan: 'basic' });
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((await admin.post(`/api/orgs/${owner.orgId}/billing/portal`)).status).toBe(403);
    expect((await admin.get(`/api/orgs/${owner.orgId}/billing`)).status).toBe(200);
  });

  it('refuses a plan too small for the org (409 naming the smallest that fits); support can override once', async () => {
    const owner = await api.signedUpUser('too-small');
    for (let i = 0; i < 51; i++) await ctx.newSite({ orgId: owner.orgId });
    const res = await owner.client.post(`/api/orgs/${owner.orgId}/billing/checkout`, { plan: 'basic' });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'plan_too_small', field: 'plan' } } });
    expect((res.body as { error: { message: string } }).error.message).toMatch(
      /51 sites \(limit 50\).*Premium \(premium\)/,
    );
    expect(
      (await owner.client.post(`/api/orgs/${owner.orgId}/billing/checkout`, { plan: 'premium' })).status,
    ).toBe(200);

    // What the admin module calls: BillingService.allowPlanChangeOverride (sets this flag).
    await ctx.pool.query('UPDATE billing_profiles SET plan_check_override = true WHERE org_id = $1', [
      owner.orgId,
    ]);
    expect(
      (await owner.client.post(`/api/orgs/${owner.orgId}/billing/checkout`, { plan: 'basic' })).status,
    ).toBe(200);
    const once = await owner.client.post(`/api/orgs/${owner.orgId}/billing/checkout`, { plan: 'basic' });
    expect(once.status).toBe(409);
  });

  it('answers 400 to a wrong signature, a stale timestamp, a missing header or a non-Stripe body, storing nothing', async () => {
    const id = `evt_forged_${randomBytes(4).toString('hex')}`;
    const body = JSON.stringify({
      id,
      object: 'event',
      type: 'customer.subscription.deleted',
      data: { object: {} },
    });
    const wrongSecret = await postWebhook(body, api.stripe.signature(body, { secret: 'whsec_wrong' }));
    expect(wrongSecret.status).toBe(400);
    expect(await wrongSecret.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    const stale = await postWebhook(
      body,
      api.stripe.signature(body, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
    );
    expect(stale.status).toBe(400);
    expect((await postWebhook(body)).status).toBe(400);
    // Signed over other bytes (e.g. a re-serialised JSON body): the raw body is what counts.
    const reformatted = await postWebhook(
      JSON.stringify(JSON.parse(body), null, 2),
      api.stripe.signature(body),
    );
    expect(reformatted.status).toBe(400);
    expect((await postWebhook('not json', api.stripe.signature('not json'))).status).toBe(400);
    expect(await storedEvents(id)).toBe(0);
  });

  it('stores each event once: a replay answers 200 and changes nothing', async () => {
    const owner = await api.signedUpUser('replay');
    const { subscriptionId } = await api.subscribe(owner.client, owner.orgId, 'basic');
    await api.stripe.failPayment(subscriptionId);
    const failed = api.stripe.events.findLast((e) => e.type === 'invoice.payment_failed');
    await expect.poll(() => processed(String(failed?.id)), { timeout: 60_000 }).toBe(true);
    await api.mail.waitFor(owner.email, /Payment failed/);
    const mailsBefore = api.mail.mails.filter((m) => /Payment failed/.test(m.subject)).length;
    const replay = await api.stripe.redeliver(String(failed?.id));
    expect(replay.status).toBe(200);
    expect(await storedEvents(String(failed?.id))).toBe(1);
    // A byte-identical replay is also accepted as a duplicate.
    const body = JSON.stringify({ ...failed, object: 'event' });
    const res = await postWebhook(body, api.stripe.signature(body));
    expect(await res.json()).toEqual({ received: true, duplicate: true });
    expect(api.mail.mails.filter((m) => /Payment failed/.test(m.subject)).length).toBe(mailsBefore);
  });

  it('ends in Stripe’s current state whatever the delivery order (created/updated/deleted reversed)', async () => {
    const owner = await api.signedUpUser('order');
    api.stripe.holdWebhooks();
    const { subscriptionId } = await api.subscribe(owner.client, owner.orgId, 'basic');
    await api.stripe.changePrice(subscriptionId, 'price_emulator_premium_monthly');
    await api.stripe.deleteSubscription(subscriptionId);
    // Nothing delivered yet: the org is still free.
    expect((await profile(owner.orgId))?.plan_code ?? 'free').toBe('free');
    // deleted, updated, completed, paid, created — the reverse of what happened.
    const delivered = await api.stripe.releaseHeld([4, 3, 2, 1, 0]);
    expect(delivered.map((d) => d.event.type)).toEqual([
      'customer.subscription.deleted',
      'customer.subscription.updated',
      'checkout.session.completed',
      'invoice.paid',
      'customer.subscription.created',
    ]);
    expect(delivered.every((d) => d.status === 200)).toBe(true);
    await settledProfile(owner.orgId, {
      plan_code: 'premium',
      subscription_status: 'canceled',
      stripe_subscription_id: subscriptionId,
    });
    for (const d of delivered) await expect.poll(() => processed(d.event.id), { timeout: 60_000 }).toBe(true);
    // Canceled keeps the paid plan until the period already paid for ends, then free.
    const view = await owner.client.get<BillingView>(`/api/orgs/${owner.orgId}/billing`);
    expect(view.body).toMatchObject({
      plan: { code: 'premium' },
      subscribedPlan: 'premium',
      subscriptionStatus: 'canceled',
    });
    await ctx.pool.query(
      "UPDATE billing_profiles SET current_period_end = now() - interval '1 second' WHERE org_id = $1",
      [owner.orgId],
    );
    const after = await owner.client.get<BillingView>(`/api/orgs/${owner.orgId}/billing`);
    expect(after.body.plan.code).toBe('free');
  });

  it('handles the payment-failed sequence: a mail per attempt, past_due keeps access, unpaid counts toward refusal', async () => {
    const owner = await api.signedUpUser('dunning');
    const { subscriptionId } = await api.subscribe(owner.client, owner.orgId, 'premium');
    await api.stripe.failPayment(subscriptionId);
    await settledProfile(owner.orgId, { subscription_status: 'past_due', failed_payment_attempts: 1 });
    await api.mail.waitFor(owner.email, /Payment failed .* \(attempt 1\)/);
    await api.stripe.failPayment(subscriptionId);
    await api.mail.waitFor(owner.email, /\(attempt 2\)/);
    await settledProfile(owner.orgId, { subscription_status: 'past_due', failed_payment_attempts: 2 });
    const pastDue = await owner.client.get<BillingView>(`/api/orgs/${owner.orgId}/billing`);
    expect(pastDue.body).toMatchObject({
      plan: { code: 'premium' },
      ingestion: { refused: false, refusesFrom: null },
    });

    await api.stripe.markUnpaid(subscriptionId);
    await settledProfile(owner.orgId, { subscription_status: 'unpaid' });
    const unpaid = await owner.client.get<BillingView>(`/api/orgs/${owner.orgId}/billing`);
    const periodEnd = new Date(unpaid.body.currentPeriodEnd ?? 0).getTime();
    expect(unpaid.body).toMatchObject({ subscriptionStatus: 'unpaid', plan: { code: 'premium' } });
    expect(new Date(unpaid.body.ingestion.refusesFrom ?? 0).getTime()).toBe(periodEnd + 30 * 86_400_000);

    await api.stripe.payOpenInvoice(subscriptionId);
    await settledProfile(owner.orgId, { subscription_status: 'active', failed_payment_attempts: 0 });
    expect(
      api.mail.mails.filter((m) => m.to.includes(owner.email) && /Payment failed/.test(m.subject)),
    ).toHaveLength(2);
    const kinds = await ctx.pool.query<{ key: string }>(
      'SELECT key FROM billing_mails WHERE org_id = $1 ORDER BY id',
      [owner.orgId],
    );
    expect(kinds.rows.map((r) => r.key)).toEqual([
      expect.stringMatching(/:1$/),
      expect.stringMatching(/:2$/),
    ]);
    await eventually(async () => (await profile(owner.orgId))?.subscription_status === 'active');
  });

  it('locks the stats of a locked org with 402 quota_locked while settings and billing keep working', async () => {
    const owner = await api.signedUpUser('locked');
    const created = await owner.client.post<{ domain: string }>(`/api/orgs/${owner.orgId}/sites`, {
      domain: `locked-${randomBytes(3).toString('hex')}.example.com`,
    });
    const domain = created.body.domain;
    const query = { site_id: domain, metrics: ['visitors'], date_range: '7d' };
    expect((await owner.client.post('/api/v2/query', query)).status).toBe(200);
    await ctx.pool.query(
      "INSERT INTO quota_states (org_id, state, reason, grace_started_at, grace_ends_at, locked_at) VALUES ($1, 'locked', 'over', now() - interval '8 days', now() - interval '1 day', now())",
      [owner.orgId],
    );
    const locked = await owner.client.post('/api/v2/query', query);
    expect(locked).toMatchObject({ status: 402, body: { error: { code: 'quota_locked' } } });
    expect((locked.body as { error: { message: string } }).error.message).toMatch(/still being counted/);
    expect((await owner.client.get(`/api/sites/${domain}/realtime`)).status).toBe(402);
    // Past data stays exportable: an explicit range ending before the lock day is answered.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const today = new Date().toISOString().slice(0, 10);
    expect(
      (await owner.client.post('/api/v2/query', { ...query, date_range: ['2026-01-01', yesterday] })).status,
    ).toBe(200);
    expect(
      (await owner.client.post('/api/v2/query', { ...query, date_range: ['2026-01-01', today] })).status,
    ).toBe(402);
    // Settings, site management and billing stay open.
    expect((await owner.client.get(`/api/sites/${domain}`)).status).toBe(200);
    expect((await owner.client.get(`/api/orgs/${owner.orgId}/sites`)).status).toBe(200);
    const billing = await owner.client.get<BillingView>(`/api/orgs/${owner.orgId}/billing`);
    expect(billing.body.quota).toMatchObject({ state: 'locked', reason: 'over' });
    // Upgrading is possible while locked.
    expect(
      (await owner.client.post(`/api/orgs/${owner.orgId}/billing/checkout`, { plan: 'premium' })).status,
    ).toBe(200);
  });

  it("enforces the plan's site limit on site creation with a clear message", async () => {
    const owner = await api.signedUpUser('site-limit');
    for (let i = 0; i < 20; i++) await ctx.newSite({ orgId: owner.orgId });
    const res = await owner.client.post(`/api/orgs/${owner.orgId}/sites`, {
      domain: `one-too-many-${randomBytes(3).toString('hex')}.example.com`,
    });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'site_limit_reached' } } });
    expect((res.body as { error: { message: string } }).error.message).toBe(
      'The Free plan allows 20 sites and this org has 20. Remove a site or upgrade to Basic (50 sites).',
    );
  });
});
