import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { metadataOf, obj, parseFormBody, str, type FormObject } from './form-body';

/**
 * A LOCAL STRIPE EMULATOR FOR DEVELOPMENT AND TESTS ONLY. It never talks to Stripe and is never
 * started when a real STRIPE_SECRET_KEY is configured.
 *
 * It answers the few Stripe API calls Sightline makes (customers, Checkout Sessions, Customer
 * Portal sessions, subscriptions, invoices) with Stripe's JSON shapes (API version pinned by the
 * SDK), serves a one-button checkout page and a small portal page, and delivers webhooks signed
 * with the Stripe SDK's own `generateTestHeaderString` (t=<unix>,v1=HMAC-SHA256(secret, "t.payload")).
 * Tests drive it directly: fail a payment, delete a subscription, hold and reorder deliveries,
 * replay an event, or move its clock.
 */

export interface EmulatorPrice {
  id: string;
  /** Shown on the checkout and portal pages. */
  label: string;
  interval: 'month' | 'year';
  unitAmount: number;
  /** The product the price belongs to (portal configurations list products with their prices). */
  product?: string;
}

export interface StripeEmulatorOptions {
  /** Where webhooks go (e.g. http://127.0.0.1:4000/api/stripe/webhook); none are sent until set. */
  webhookUrl?: string;
  webhookSecret?: string;
  prices: EmulatorPrice[];
  host?: string;
  port?: number;
}

type Json = Record<string, unknown>;

interface Subscription extends Json {
  id: string;
  customer: string;
  status: string;
  cancel_at_period_end: boolean;
  items: { object: 'list'; data: Json[] };
}

export interface StripeEventRecord {
  id: string;
  type: string;
  created: number;
  data: { object: Json };
}

export interface Delivery {
  event: StripeEventRecord;
  status: number | null;
}

const API_VERSION = Stripe.API_VERSION;

export class StripeEmulator {
  readonly secretKey = 'sk_test_emulator';
  readonly webhookSecret: string;
  webhookUrl: string | undefined;
  url = '';
  private server: Server | undefined;
  private readonly prices: Map<string, EmulatorPrice>;
  private readonly customers = new Map<string, Json>();
  private readonly sessions = new Map<string, Json>();
  private readonly portalSessions = new Map<string, Json>();
  private readonly portalConfigurations = new Map<string, Json>();
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly invoices = new Map<string, Json>();
  readonly events: StripeEventRecord[] = [];
  readonly deliveries: Delivery[] = [];
  private held: StripeEventRecord[] | null = null;
  private clockOffsetSeconds = 0;
  private ids = 0;

  constructor(private readonly options: StripeEmulatorOptions) {
    this.webhookSecret = options.webhookSecret ?? `whsec_emulator_${randomBytes(16).toString('hex')}`;
    this.webhookUrl = options.webhookUrl;
    this.prices = new Map(options.prices.map((p) => [p.id, p]));
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        send(res, 500, { error: { type: 'api_error', message: (err as Error).message } });
      });
    });
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve) => this.server?.listen(this.options.port ?? 0, host, resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://${host}:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The emulator's clock in Unix seconds (tests move it with `advanceClock`). */
  now(): number {
    return Math.floor(Date.now() / 1000) + this.clockOffsetSeconds;
  }

  advanceClock(seconds: number): void {
    this.clockOffsetSeconds += seconds;
  }

  // ---- test and dev controls --------------------------------------------------------------

  subscription(id: string): Subscription | undefined {
    return this.subscriptions.get(id);
  }

  subscriptionsOf(customerId: string): Subscription[] {
    return [...this.subscriptions.values()].filter((s) => s.customer === customerId);
  }

  /** A renewal charge fails: an open invoice with one more attempt, the subscription past_due. */
  async failPayment(subscriptionId: string): Promise<void> {
    const sub = this.requireSubscription(subscriptionId);
    const latest = this.invoices.get(String(sub['latest_invoice']));
    const invoice =
      latest && latest['status'] === 'open'
        ? latest
        : this.newInvoice(sub, 'open', this.priceOf(sub).unitAmount);
    invoice['attempt_count'] = Number(invoice['attempt_count'] ?? 0) + 1;
    invoice['attempted'] = true;
    invoice['next_payment_attempt'] = this.now() + 3 * 86400;
    sub['latest_invoice'] = invoice['id'];
    sub.status = 'past_due';
    await this.emit('invoice.payment_failed', invoice);
    await this.emit('customer.subscription.updated', sub);
  }

  /** Retries exhausted with "mark as unpaid": the subscription stays but is unpaid. */
  async markUnpaid(subscriptionId: string): Promise<void> {
    const sub = this.requireSubscription(subscriptionId);
    sub.status = 'unpaid';
    await this.emit('customer.subscription.updated', sub);
  }

  /** The customer paid the open invoice (e.g. after updating the card). */
  async payOpenInvoice(subscriptionId: string): Promise<void> {
    const sub = this.requireSubscription(subscriptionId);
    const invoice = this.invoices.get(String(sub['latest_invoice']));
    if (invoice) {
      invoice['status'] = 'paid';
      invoice['amount_paid'] = invoice['amount_due'];
    }
    sub.status = 'active';
    if (invoice) await this.emit('invoice.paid', invoice);
    await this.emit('customer.subscription.updated', sub);
  }

  /** Ends the subscription at once (like a cancellation in the Stripe dashboard). */
  async deleteSubscription(subscriptionId: string): Promise<void> {
    const sub = this.requireSubscription(subscriptionId);
    sub.status = 'canceled';
    sub['canceled_at'] = this.now();
    sub['ended_at'] = this.now();
    await this.emit('customer.subscription.deleted', sub);
  }

  /** Changes the subscription's price (what the portal's plan change does). */
  async changePrice(subscriptionId: string, priceId: string): Promise<void> {
    const sub = this.requireSubscription(subscriptionId);
    const item = sub.items.data[0];
    if (!item) throw new Error('subscription without items');
    item['price'] = this.priceJson(this.requirePrice(priceId));
    await this.emit('customer.subscription.updated', sub);
  }

  async setCancelAtPeriodEnd(subscriptionId: string, cancel: boolean): Promise<void> {
    const sub = this.requireSubscription(subscriptionId);
    sub.cancel_at_period_end = cancel;
    sub['cancel_at'] = cancel ? (sub.items.data[0]?.['current_period_end'] ?? null) : null;
    await this.emit('customer.subscription.updated', sub);
  }

  /** From now on webhooks are collected instead of sent, until `releaseHeld`. */
  holdWebhooks(): void {
    this.held ??= [];
  }

  /** Sends the held events in the given order (indexes into the held list; default: as emitted). */
  async releaseHeld(order?: number[]): Promise<Delivery[]> {
    const held = this.held ?? [];
    this.held = null;
    const events = order ? order.map((i) => held[i]).filter((e): e is StripeEventRecord => !!e) : held;
    const results: Delivery[] = [];
    for (const event of events) results.push(await this.deliver(event));
    return results;
  }

  /** Delivers an already sent event again (Stripe retries and duplicates). */
  async redeliver(eventId: string): Promise<Delivery> {
    const event = this.events.find((e) => e.id === eventId);
    if (!event) throw new Error(`no event ${eventId}`);
    return this.deliver(event);
  }

  /** The `Stripe-Signature` header Stripe would send for this payload. */
  signature(payload: string, opts: { timestamp?: number; secret?: string } = {}): string {
    return Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: opts.secret ?? this.webhookSecret,
      // Signed with the real clock: the receiver checks it against its own.
      timestamp: opts.timestamp ?? Math.floor(Date.now() / 1000),
    });
  }

  // ---- webhooks ---------------------------------------------------------------------------

  private async emit(type: string, object: Json): Promise<StripeEventRecord> {
    const event: StripeEventRecord = {
      id: this.id('evt'),
      type,
      created: this.now(),
      // A snapshot, as Stripe sends it: later changes do not alter an event already emitted.
      data: { object: JSON.parse(JSON.stringify(object)) as Json },
    };
    this.events.push(event);
    if (this.held) this.held.push(event);
    else await this.deliver(event);
    return event;
  }

  private async deliver(event: StripeEventRecord): Promise<Delivery> {
    const delivery: Delivery = { event, status: null };
    this.deliveries.push(delivery);
    if (!this.webhookUrl) return delivery;
    const payload = JSON.stringify({
      ...event,
      object: 'event',
      api_version: API_VERSION,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    });
    try {
      const res = await fetch(this.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': this.signature(payload),
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks) sightline-stripe-emulator',
        },
        body: payload,
      });
      await res.arrayBuffer();
      delivery.status = res.status;
    } catch {
      delivery.status = 0;
    }
    return delivery;
  }

  // ---- HTTP -------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const body = await readBody(req);
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (path.startsWith('/checkout/')) return this.checkoutPage(method, path, body, res);
    if (path.startsWith('/portal/')) return this.portalPage(method, path, body, res);
    if (path === '/')
      return html(
        res,
        200,
        page('Stripe emulator', '<p>Local Stripe emulator (development and tests only).</p>'),
      );

    if (!path.startsWith('/v1/')) return send(res, 404, stripeError('Unrecognized request URL'));
    if (req.headers.authorization !== `Bearer ${this.secretKey}`)
      return send(res, 401, {
        error: { type: 'invalid_request_error', message: 'Invalid API Key provided' },
      });
    const form = method === 'GET' ? parseFormBody(url.searchParams.toString()) : parseFormBody(body);
    const segments = path.split('/').slice(2);
    const answer = this.api(method, segments, form);
    return send(res, answer[0], answer[1]);
  }

  private api(method: string, seg: string[], form: FormObject): [number, unknown] {
    const [resource, id, sub] = seg;
    if (resource === 'customers' && method === 'POST' && !id) return [200, this.createCustomer(form)];
    if (resource === 'customers' && method === 'GET' && id)
      return this.found(this.customers.get(id), 'customer', id);
    if (resource === 'checkout' && id === 'sessions' && method === 'POST' && !sub)
      return this.createCheckoutSession(form);
    if (resource === 'checkout' && id === 'sessions' && method === 'GET' && sub)
      return this.found(this.sessions.get(sub), 'checkout.session', sub);
    if (resource === 'billing_portal' && id === 'sessions' && method === 'POST')
      return this.createPortalSession(form);
    if (resource === 'billing_portal' && id === 'configurations' && method === 'POST' && !sub)
      return this.createPortalConfiguration(form);
    if (resource === 'billing_portal' && id === 'configurations' && method === 'GET' && !sub)
      return [
        200,
        list('/v1/billing_portal/configurations', [...this.portalConfigurations.values()].reverse()),
      ];
    if (resource === 'billing_portal' && id === 'configurations' && method === 'GET' && sub)
      return this.found(this.portalConfigurations.get(sub), 'billing_portal.configuration', sub);
    if (resource === 'prices' && method === 'GET' && id) {
      const price = this.prices.get(id);
      return this.found(price ? this.priceJson(price) : undefined, 'price', id);
    }
    if (resource === 'subscriptions' && method === 'GET' && id)
      return this.found(this.subscriptions.get(id), 'subscription', id);
    if (resource === 'subscriptions' && method === 'GET' && !id) {
      const customer = str(form, 'customer');
      const status = str(form, 'status');
      const data = [...this.subscriptions.values()]
        .filter((s) => !customer || s.customer === customer)
        .filter((s) => !status || status === 'all' || s.status === status)
        .reverse();
      return [200, list('/v1/subscriptions', data)];
    }
    if (resource === 'invoices' && method === 'GET' && !id) {
      const customer = str(form, 'customer');
      const data = [...this.invoices.values()]
        .filter((i) => !customer || i['customer'] === customer)
        .reverse();
      return [200, list('/v1/invoices', data)];
    }
    if (resource === 'invoices' && method === 'GET' && id)
      return this.found(this.invoices.get(id), 'invoice', id);
    return [404, stripeError(`Unrecognized request URL (${method}: /v1/${seg.join('/')})`)];
  }

  private found(value: Json | undefined, kind: string, id: string): [number, unknown] {
    if (value) return [200, value];
    return [
      404,
      {
        error: {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: `No such ${kind}: '${id}'`,
        },
      },
    ];
  }

  private createCustomer(form: FormObject): Json {
    const customer: Json = {
      id: this.id('cus'),
      object: 'customer',
      created: this.now(),
      email: str(form, 'email') ?? null,
      name: str(form, 'name') ?? null,
      metadata: metadataOf(form),
      livemode: false,
    };
    this.customers.set(String(customer['id']), customer);
    return customer;
  }

  private createCheckoutSession(form: FormObject): [number, unknown] {
    if (str(form, 'mode') !== 'subscription')
      return [400, stripeError('Only mode=subscription is emulated', 'mode')];
    const customer = str(form, 'customer');
    if (!customer || !this.customers.has(customer))
      return [400, stripeError(`No such customer: '${customer}'`, 'customer')];
    const item = obj(obj(form, 'line_items'), '0');
    const priceId = str(item, 'price');
    if (!priceId || !this.prices.has(priceId))
      return [400, stripeError(`No such price: '${priceId}'`, 'line_items[0][price]')];
    const successUrl = str(form, 'success_url');
    if (!successUrl) return [400, stripeError('Missing required param: success_url.', 'success_url')];
    const id = this.id('cs_test');
    const session: Json = {
      id,
      object: 'checkout.session',
      mode: 'subscription',
      status: 'open',
      payment_status: 'unpaid',
      customer,
      client_reference_id: str(form, 'client_reference_id') ?? null,
      metadata: metadataOf(form),
      subscription_metadata: metadataOf(obj(form, 'subscription_data')),
      price: priceId,
      subscription: null,
      success_url: successUrl,
      cancel_url: str(form, 'cancel_url') ?? null,
      url: `${this.url}/checkout/${id}`,
      created: this.now(),
      expires_at: this.now() + 86400,
      livemode: false,
    };
    this.sessions.set(id, session);
    return [200, session];
  }

  /**
   * A Customer Portal configuration: which features the portal offers, in particular which prices
   * a subscription may switch to (`features[subscription_update][products]`).
   */
  private createPortalConfiguration(form: FormObject): [number, unknown] {
    const features = obj(form, 'features');
    const update = obj(features, 'subscription_update');
    if (!update || str(update, 'enabled') === undefined)
      return [
        400,
        stripeError('Missing required param: features[subscription_update][enabled].', 'features'),
      ];
    const enabled = str(update, 'enabled') === 'true';
    const products = Object.values(obj(update, 'products') ?? {}).flatMap((p) =>
      typeof p === 'object'
        ? [{ product: str(p, 'product') ?? '', prices: Object.values(obj(p, 'prices') ?? {}).map(String) }]
        : [],
    );
    for (const { product, prices } of products)
      for (const price of prices)
        if (this.prices.get(price)?.product !== product)
          return [
            400,
            stripeError(`The price ${price} does not belong to the product ${product}.`, 'features'),
          ];
    if (enabled && products.length === 0)
      return [
        400,
        stripeError('features[subscription_update][products] is required when enabled.', 'features'),
      ];
    const id = this.id('bpc');
    const cancel = obj(features, 'subscription_cancel');
    const configuration: Json = {
      id,
      object: 'billing_portal.configuration',
      active: true,
      is_default: false,
      features: {
        subscription_update: {
          enabled,
          products,
          default_allowed_updates: Object.values(obj(update, 'default_allowed_updates') ?? {}).map(String),
          proration_behavior: str(update, 'proration_behavior') ?? 'none',
        },
        subscription_cancel: {
          enabled: str(cancel, 'enabled') === 'true',
          mode: str(cancel, 'mode') ?? 'at_period_end',
        },
        invoice_history: { enabled: str(obj(features, 'invoice_history'), 'enabled') === 'true' },
        payment_method_update: { enabled: str(obj(features, 'payment_method_update'), 'enabled') === 'true' },
      },
      metadata: metadataOf(form),
      created: this.now(),
      livemode: false,
    };
    this.portalConfigurations.set(id, configuration);
    return [200, configuration];
  }

  /** The prices a portal session lets the customer switch to (all without a configuration, as Stripe's default). */
  private allowedPrices(session: Json): Set<string> {
    const configuration = session['configuration'];
    if (typeof configuration !== 'string') return new Set(this.prices.keys());
    const update = (this.portalConfigurations.get(configuration)?.['features'] as Json | undefined)?.[
      'subscription_update'
    ] as { enabled: boolean; products: { prices: string[] }[] } | undefined;
    if (!update?.enabled) return new Set();
    return new Set(update.products.flatMap((p) => p.prices));
  }

  private createPortalSession(form: FormObject): [number, unknown] {
    const customer = str(form, 'customer');
    if (!customer || !this.customers.has(customer))
      return [400, stripeError(`No such customer: '${customer}'`, 'customer')];
    const configuration = str(form, 'configuration');
    if (configuration !== undefined && !this.portalConfigurations.has(configuration))
      return [400, stripeError(`No such configuration: '${configuration}'`, 'configuration')];
    const id = this.id('bps');
    const session: Json = {
      id,
      object: 'billing_portal.session',
      customer,
      configuration: configuration ?? null,
      return_url: str(form, 'return_url') ?? null,
      url: `${this.url}/portal/${id}`,
      created: this.now(),
      livemode: false,
    };
    this.portalSessions.set(id, session);
    return [200, session];
  }

  private async checkoutPage(method: string, path: string, body: string, res: ServerResponse): Promise<void> {
    const id = path.split('/')[2] ?? '';
    const session = this.sessions.get(id);
    if (!session) return html(res, 404, page('Checkout', '<p>This checkout session does not exist.</p>'));
    const price = this.requirePrice(String(session['price']));
    if (method === 'POST') {
      if (session['status'] === 'open') await this.completeCheckout(session, price);
      const target = String(session['success_url']).replace('{CHECKOUT_SESSION_ID}', id);
      res.writeHead(303, { location: target }).end();
      return;
    }
    void body;
    const amount = formatAmount(price);
    html(
      res,
      200,
      page(
        'Checkout',
        `<h1>Subscribe to ${escapeHtml(price.label)}</h1>
<p class="price">${amount} per ${price.interval}</p>
<p class="note">Local Stripe emulator: no card is needed and nothing is charged.</p>
<form method="post"><button type="submit" id="submit">Subscribe</button></form>
${session['cancel_url'] ? `<p><a href="${escapeHtml(String(session['cancel_url']))}">Cancel</a></p>` : ''}`,
      ),
    );
  }

  private async completeCheckout(session: Json, price: EmulatorPrice): Promise<void> {
    const now = this.now();
    const subId = this.id('sub');
    const sub: Subscription = {
      id: subId,
      object: 'subscription',
      customer: String(session['customer']),
      status: 'active',
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      ended_at: null,
      created: now,
      start_date: now,
      billing_cycle_anchor: now,
      collection_method: 'charge_automatically',
      metadata: (session['subscription_metadata'] as Json | undefined) ?? {},
      items: {
        object: 'list',
        data: [
          {
            id: this.id('si'),
            object: 'subscription_item',
            subscription: subId,
            quantity: 1,
            price: this.priceJson(price),
            current_period_start: now,
            current_period_end: periodEnd(now, price.interval),
          },
        ],
      },
      latest_invoice: null,
      livemode: false,
    };
    this.subscriptions.set(subId, sub);
    const invoice = this.newInvoice(sub, 'paid', price.unitAmount);
    sub['latest_invoice'] = invoice['id'];
    session['status'] = 'complete';
    session['payment_status'] = 'paid';
    session['subscription'] = subId;
    await this.emit('customer.subscription.created', sub);
    await this.emit('invoice.paid', invoice);
    await this.emit('checkout.session.completed', session);
  }

  private async portalPage(method: string, path: string, body: string, res: ServerResponse): Promise<void> {
    const [, , id, action] = path.split('/');
    const session = this.portalSessions.get(id ?? '');
    if (!session) return html(res, 404, page('Billing portal', '<p>This portal session does not exist.</p>'));
    const subs = this.subscriptionsOf(String(session['customer'])).filter((s) => s.status !== 'canceled');
    const sub = subs[subs.length - 1];
    if (method === 'POST' && sub) {
      const form = parseFormBody(body);
      if (action === 'plan') {
        const priceId = str(form, 'price');
        // Stripe's portal offers only the configuration's prices; a forged form gets an error.
        if (!priceId || !this.allowedPrices(session).has(priceId))
          return html(res, 400, page('Billing portal', '<p>This plan change is not available.</p>'));
        await this.changePrice(sub.id, priceId);
      } else if (action === 'cancel') await this.setCancelAtPeriodEnd(sub.id, true);
      else if (action === 'renew') await this.setCancelAtPeriodEnd(sub.id, false);
      res.writeHead(303, { location: `/portal/${id}` }).end();
      return;
    }
    const back = session['return_url']
      ? `<p><a id="return" href="${escapeHtml(String(session['return_url']))}">Return to Sightline</a></p>`
      : '';
    if (!sub)
      return html(res, 200, page('Billing portal', `<h1>Billing</h1><p>No active subscription.</p>${back}`));
    const current = this.priceOf(sub);
    const item = sub.items.data[0] ?? {};
    const allowed = this.allowedPrices(session);
    const options = [...this.prices.values()]
      .filter((p) => allowed.has(p.id))
      .map(
        (p) =>
          `<option value="${escapeHtml(p.id)}"${p.id === current.id ? ' selected' : ''}>${escapeHtml(p.label)} — ${formatAmount(p)}/${p.interval}</option>`,
      )
      .join('');
    const until = new Date(Number(item['current_period_end']) * 1000).toISOString().slice(0, 10);
    html(
      res,
      200,
      page(
        'Billing portal',
        `<h1>Billing</h1>
<p>Current plan: <strong id="current">${escapeHtml(current.label)}</strong> (${escapeHtml(sub.status)})${sub.cancel_at_period_end ? `, cancels on ${until}` : `, renews on ${until}`}</p>
${
  options
    ? `<form method="post" action="/portal/${id}/plan"><label>Change plan <select name="price">${options}</select></label> <button type="submit" id="change">Update plan</button></form>`
    : '<p id="no-plan-change">Plan changes are not available for this account.</p>'
}
${
  sub.cancel_at_period_end
    ? `<form method="post" action="/portal/${id}/renew"><button type="submit" id="renew">Renew plan</button></form>`
    : `<form method="post" action="/portal/${id}/cancel"><button type="submit" id="cancel">Cancel plan</button></form>`
}
<h2>Invoices</h2><ul>${[...this.invoices.values()]
          .filter((i) => i['customer'] === sub.customer)
          .map(
            (i) =>
              `<li>${escapeHtml(String(i['number']))}: ${(Number(i['amount_due']) / 100).toFixed(2)} USD, ${escapeHtml(String(i['status']))}</li>`,
          )
          .join('')}</ul>
${back}`,
      ),
    );
  }

  // ---- objects ----------------------------------------------------------------------------

  private newInvoice(sub: Subscription, status: 'paid' | 'open', amount: number): Json {
    const id = this.id('in');
    const item = sub.items.data[0] ?? {};
    const invoice: Json = {
      id,
      object: 'invoice',
      number: `EMU-${String(this.invoices.size + 1).padStart(4, '0')}`,
      customer: sub.customer,
      status,
      amount_due: amount,
      amount_paid: status === 'paid' ? amount : 0,
      currency: 'usd',
      attempt_count: status === 'paid' ? 1 : 0,
      attempted: status === 'paid',
      billing_reason: 'subscription_cycle',
      period_start: item['current_period_start'],
      period_end: item['current_period_end'],
      parent: {
        type: 'subscription_details',
        quote_details: null,
        subscription_details: { subscription: sub.id, metadata: sub['metadata'] ?? {} },
      },
      hosted_invoice_url: `${this.url}/`,
      created: this.now(),
      livemode: false,
    };
    this.invoices.set(id, invoice);
    return invoice;
  }

  private priceJson(price: EmulatorPrice): Json {
    return {
      id: price.id,
      object: 'price',
      active: true,
      currency: 'usd',
      unit_amount: price.unitAmount,
      product: price.product ?? 'prod_emulator',
      nickname: price.label,
      recurring: { interval: price.interval, interval_count: 1, usage_type: 'licensed' },
      type: 'recurring',
      livemode: false,
    };
  }

  private priceOf(sub: Subscription): EmulatorPrice {
    const price = sub.items.data[0]?.['price'] as { id?: string } | undefined;
    return this.requirePrice(String(price?.id));
  }

  private requirePrice(id: string): EmulatorPrice {
    const price = this.prices.get(id);
    if (!price) throw new Error(`no price ${id}`);
    return price;
  }

  private requireSubscription(id: string): Subscription {
    const sub = this.subscriptions.get(id);
    if (!sub) throw new Error(`no subscription ${id}`);
    return sub;
  }

  private id(prefix: string): string {
    return `${prefix}_emu${(++this.ids).toString(36).padStart(4, '0')}${randomBytes(6).toString('hex')}`;
  }
}

function periodEnd(start: number, interval: 'month' | 'year'): number {
  const d = new Date(start * 1000);
  if (interval === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCFullYear(d.getUTCFullYear() + 1);
  return Math.floor(d.getTime() / 1000);
}

function list(url: string, data: Json[]): Json {
  return { object: 'list', url, has_more: false, data };
}

function stripeError(message: string, param?: string): Json {
  return { error: { type: 'invalid_request_error', message, ...(param ? { param } : {}) } };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'request-id': `req_emu${randomBytes(6).toString('hex')}`,
  });
  res.end(JSON.stringify(body));
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function formatAmount(price: EmulatorPrice): string {
  return `$${(price.unitAmount / 100).toFixed(2)}`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · Stripe emulator</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1f36}
.banner{background:#fff4e5;border:1px solid #f5a623;padding:.5rem .75rem;border-radius:6px;font-size:.85rem}
button{background:#635bff;color:#fff;border:0;border-radius:6px;padding:.6rem 1.2rem;font-size:1rem;cursor:pointer}
.price{font-size:1.5rem;font-weight:600}.note{color:#697386}form{margin:1rem 0}</style></head>
<body><p class="banner">Stripe emulator — development and tests only. No real payment happens here.</p>${body}</body></html>`;
}
