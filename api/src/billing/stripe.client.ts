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

/**
 * The Stripe SDK, configured from the environment: api.stripe.com with real keys, or the local
 * Stripe emulator (development and tests) through `host`/`port`/`protocol`. Every call Sightline
 * makes to Stripe is here.
 */
@Injectable()
export class StripeClient {
  private readonly stripe: Stripe | null;
  private readonly settings: BillingSettings | null;

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

  createPortalSession(customerId: string, returnUrl: string): Promise<Stripe.BillingPortal.Session> {
    return this.sdk.billingPortal.sessions.create({ customer: customerId, return_url: returnUrl });
  }
}
