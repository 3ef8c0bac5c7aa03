import { EMULATOR_PRICE_ENV, StripeEmulator, emulatorPrices } from '@sightline/stripe-emulator';
import { ApiHarness, type ApiClient } from './api-harness';

/** The real API in-process, talking to the local Stripe emulator through the Stripe SDK's host/port/protocol. */
export class BillingHarness extends ApiHarness {
  readonly stripe = new StripeEmulator({ prices: emulatorPrices() });

  override async start(env: Record<string, string> = {}): Promise<this> {
    const stripeUrl = await this.stripe.start();
    await super.start({
      STRIPE_SECRET_KEY: this.stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: this.stripe.webhookSecret,
      STRIPE_API_URL: stripeUrl,
      ...EMULATOR_PRICE_ENV,
      ...env,
    });
    this.stripe.webhookUrl = `${this.baseUrl}/api/stripe/webhook`;
    return this;
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.stripe.stop();
  }

  /** Starts checkout as the owner and submits the emulator's checkout form (its one button). */
  async subscribe(
    client: ApiClient,
    orgId: string,
    plan: 'basic' | 'premium',
    interval: 'monthly' | 'yearly' = 'monthly',
  ): Promise<{ sessionId: string; subscriptionId: string; successUrl: string }> {
    const started = await client.post<{ url: string }>(`/api/orgs/${orgId}/billing/checkout`, {
      plan,
      interval,
    });
    if (started.status !== 200)
      throw new Error(`checkout failed: ${started.status} ${JSON.stringify(started.body)}`);
    const page = await fetch(started.body.url);
    if (!(await page.text()).includes('type="submit"'))
      throw new Error('no submit button on the checkout page');
    const submitted = await fetch(started.body.url, { method: 'POST', redirect: 'manual' });
    const successUrl = submitted.headers.get('location') ?? '';
    const sessionId = new URL(successUrl).searchParams.get('checkout') ?? '';
    const sub = this.stripe.events.findLast((e) => e.type === 'customer.subscription.created');
    return { sessionId, subscriptionId: String(sub?.data.object['id']), successUrl };
  }
}
