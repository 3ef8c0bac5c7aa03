import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorPrices } from './emulator-prices';
import { parseFormBody } from './form-body';
import { StripeEmulator } from './stripe-emulator';

describe('parseFormBody', () => {
  it('nests bracketed keys the way the Stripe SDK encodes them', () => {
    const body =
      'mode=subscription&line_items%5B0%5D%5Bprice%5D=price_1&line_items%5B0%5D%5Bquantity%5D=1&subscription_data%5Bmetadata%5D%5Borg_id%5D=o1';
    expect(parseFormBody(body)).toEqual({
      mode: 'subscription',
      line_items: { '0': { price: 'price_1', quantity: '1' } },
      subscription_data: { metadata: { org_id: 'o1' } },
    });
  });
});

describe('StripeEmulator (development and tests only)', () => {
  const emulator = new StripeEmulator({ prices: emulatorPrices() });
  let stripe: Stripe;
  beforeAll(async () => {
    const url = new URL(await emulator.start());
    stripe = new Stripe(emulator.secretKey, {
      apiVersion: '2026-11-18.endive',
      host: url.hostname,
      port: Number(url.port),
      protocol: 'http',
      maxNetworkRetries: 0,
    });
  });
  afterAll(() => emulator.stop());

  it('signs webhooks exactly as Stripe does: the SDK verifies them, and rejects a changed byte or a stale timestamp', () => {
    const payload = JSON.stringify({
      id: 'evt_1',
      object: 'event',
      type: 'invoice.paid',
      data: { object: {} },
    });
    const header = emulator.signature(payload);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(stripe.webhooks.constructEvent(payload, header, emulator.webhookSecret).id).toBe('evt_1');
    expect(() =>
      stripe.webhooks.constructEvent(payload.replace('paid', 'paye'), header, emulator.webhookSecret),
    ).toThrow();
    const stale = emulator.signature(payload, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(() => stripe.webhooks.constructEvent(payload, stale, emulator.webhookSecret, 300)).toThrow(
      /tolerance/i,
    );
  });

  it("answers the SDK's calls with Stripe's shapes and errors", async () => {
    const customer = await stripe.customers.create({ email: 'a@example.test', metadata: { org_id: 'o1' } });
    expect(customer).toMatchObject({
      object: 'customer',
      email: 'a@example.test',
      metadata: { org_id: 'o1' },
    });
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      client_reference_id: 'o1',
      line_items: [{ price: 'price_emulator_basic_monthly', quantity: 1 }],
      success_url: 'http://app.test/ok?s={CHECKOUT_SESSION_ID}',
    });
    expect(session.url).toContain('/checkout/');
    const submitted = await fetch(session.url ?? '', { method: 'POST', redirect: 'manual' });
    expect(submitted.headers.get('location')).toBe(`http://app.test/ok?s=${session.id}`);
    const completed = await stripe.checkout.sessions.retrieve(session.id);
    expect(completed.status).toBe('complete');
    const sub = await stripe.subscriptions.retrieve(String(completed.subscription));
    expect(sub).toMatchObject({ status: 'active', customer: customer.id, cancel_at_period_end: false });
    expect(sub.items.data[0]?.price.id).toBe('price_emulator_basic_monthly');
    expect(sub.items.data[0]!.current_period_end).toBeGreaterThan(sub.items.data[0]!.current_period_start);
    const list = await stripe.subscriptions.list({ customer: customer.id, status: 'all' });
    expect(list.data.map((s) => s.id)).toEqual([sub.id]);
    await expect(stripe.subscriptions.retrieve('sub_missing')).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'resource_missing',
    });
    await expect(
      new Stripe('sk_wrong', {
        host: '127.0.0.1',
        port: Number(new URL(emulator.url).port),
        protocol: 'http',
        maxNetworkRetries: 0,
      }).customers.create({}),
    ).rejects.toMatchObject({
      type: 'StripeAuthenticationError',
    });
  });
});
