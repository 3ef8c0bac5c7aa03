import Stripe from 'stripe';
import type { BillingSettings, StripePriceIds } from '@sightline/config';
import {
  BILLING_INTERVALS,
  PAID_PLAN_CODES,
  type BillingInterval,
  type PaidPlanCode,
} from '@sightline/plans';

/** The Stripe API version this code was written against; the SDK sends it with every request. */
export const STRIPE_API_VERSION = '2026-11-18.endive' as const;

/** The Stripe SDK for these settings: api.stripe.com, or the local emulator through host/port/protocol. */
export function createStripeSdk(settings: BillingSettings): Stripe {
  return new Stripe(settings.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: 2,
    timeout: 10_000,
    appInfo: { name: 'Sightline' },
    ...(settings.endpoint ?? {}),
  });
}

/** The plan and interval a configured price id sells, or null for a price we do not know. */
export function planOfPrice(
  prices: StripePriceIds,
  priceId: string,
): { plan: PaidPlanCode; interval: BillingInterval } | null {
  for (const plan of PAID_PLAN_CODES)
    for (const interval of BILLING_INTERVALS)
      if (prices[plan][interval] === priceId) return { plan, interval };
  return null;
}
