import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { createStripeSdk } from '@sightline/billing';
import type { ApiConfig, BillingSettings } from '@sightline/config';
import type { BillingInterval, PaidPlanCode } from '@sightline/plans';
import { DomainError } from '../common/domain-error';
import { API_CONFIG } from '../common/tokens';

export const billingUnavailable = () =>
  new DomainError(
    503,
    'billing_unavailable',
    'Billing is not configured on this server (no STRIPE_SECRET_KEY)',
  );

/** Metadata key of the portal configurations Sightline creates: the prices they allow, sorted. */
const PORTAL_PRICES_METADATA = 'sightline_allowed_prices';

/**
 * The Stripe SDK, configured from the environment: api.stripe.com with real keys, or the local
 * Stripe emulator (development and tests) through `host`/`port`/`protocol`. Every call Sightline
 * makes to Stripe is here.
 */
@Injectable()
export class StripeClient {
  private readonly stripe: Stripe | null;
  private readonly settings: BillingSettings | null;
  /** Portal configuration ids by their allowed prices (see portalConfiguration). */
  private readonly portalConfigurations = new Map<string, string>();

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    this.settings = config.billing;
    this.stripe = this.settings ? createStripeSdk(this.settings) : null;
  }

  get enabled(): boolean {
    return this.stripe !== null;
  }

  /** The SDK itself (the subscription sync of libs/billing reads subscriptions through it). */
  get sdk(): Stripe {
    if (!this.stripe) throw billingUnavailable();
    return this.stripe;
  }

  priceId(plan: PaidPlanCode, interval: BillingInterval): string {
    if (!this.settings) throw billingUnavailable();
    return this.settings.prices[plan][interval];
  }

  /** Verifies the `Stripe-Signature` header over the raw body and parses the event; throws on any mismatch. */
  constructEvent(rawBody: Buffer, signature: string): Stripe.Event {
    if (!this.settings) throw billingUnavailable();
    return this.sdk.webhooks.constructEvent(
      rawBody,
      signature,
      this.settings.webhookSecret,
      this.settings.webhookToleranceSeconds,
    );
  }

  createCustomer(orgId: string, orgName: string, email: string): Promise<Stripe.Customer> {
    return this.sdk.customers.create(
      { name: orgName, email, metadata: { org_id: orgId } },
      { idempotencyKey: `customer-${orgId}` },
    );
  }

  createCheckoutSession(params: {
    orgId: string;
    customerId: string;
    priceId: string;
    successUrl: string;
    cancelUrl: string;
  }): Promise<Stripe.Checkout.Session> {
    return this.sdk.checkout.sessions.create({
      mode: 'subscription',
      customer: params.customerId,
      client_reference_id: params.orgId,
      line_items: [{ price: params.priceId, quantity: 1 }],
      success_url: params.successUrl,
      cancel_url: params.cancelUrl,
      metadata: { org_id: params.orgId },
      subscription_data: { metadata: { org_id: params.orgId } },
    });
  }

  retrieveCheckoutSession(id: string): Promise<Stripe.Checkout.Session> {
    return this.sdk.checkout.sessions.retrieve(id);
  }

  createPortalSession(
    customerId: string,
    returnUrl: string,
    configuration: string,
  ): Promise<Stripe.BillingPortal.Session> {
    return this.sdk.billingPortal.sessions.create({
      customer: customerId,
      return_url: returnUrl,
      configuration,
    });
  }

  /**
   * A Customer Portal configuration whose plan switches are exactly `allowedPriceIds` (payment
   * methods, invoices and cancelling at period end always on). One per set of prices, found again
   * by its metadata, so the account holds a handful of them however many sessions are opened.
   */
  async portalConfiguration(allowedPriceIds: readonly string[]): Promise<string> {
    const key = [...allowedPriceIds].sort().join(',') || 'none';
    const cached = this.portalConfigurations.get(key);
    if (cached) return cached;
    for await (const existing of this.sdk.billingPortal.configurations.list({ active: true, limit: 100 }))
      if (existing.metadata?.[PORTAL_PRICES_METADATA] === key) {
        this.portalConfigurations.set(key, existing.id);
        return existing.id;
      }
    const byProduct = new Map<string, string[]>();
    for (const priceId of allowedPriceIds) {
      const price = await this.sdk.prices.retrieve(priceId);
      const product = typeof price.product === 'string' ? price.product : price.product.id;
      byProduct.set(product, [...(byProduct.get(product) ?? []), priceId]);
    }
    const created = await this.sdk.billingPortal.configurations.create({
      features: {
        subscription_update: byProduct.size
          ? {
              enabled: true,
              default_allowed_updates: ['price'],
              proration_behavior: 'create_prorations',
              products: [...byProduct].map(([product, prices]) => ({ product, prices })),
            }
          : { enabled: false },
        subscription_cancel: { enabled: true, mode: 'at_period_end' },
        payment_method_update: { enabled: true },
        invoice_history: { enabled: true },
      },
      metadata: { [PORTAL_PRICES_METADATA]: key },
    });
    this.portalConfigurations.set(key, created.id);
    return created.id;
  }
}
