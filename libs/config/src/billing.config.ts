import { z } from 'zod';
import {
  BILLING_INTERVALS,
  PAID_PLAN_CODES,
  type BillingInterval,
  type PaidPlanCode,
} from '@sightline/plans';

/**
 * Stripe settings of the API (and workers). Without STRIPE_SECRET_KEY billing is off (plans are
 * shown, checkout answers 503). `npm start` without a key starts the local Stripe emulator and
 * passes its URL, key, webhook secret and price ids here, so development uses the same code path.
 */
export const billingEnv = {
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  /** `whsec_...` of the webhook endpoint (Stripe dashboard → Developers → Webhooks). */
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Only for the local Stripe emulator (dev and test): where the SDK sends requests instead of api.stripe.com. */
  STRIPE_API_URL: z.string().url().optional(),
  /** Seconds a webhook signature stays valid (Stripe's default tolerance is 300). */
  STRIPE_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().positive().default(300),
  STRIPE_PRICE_BASIC_MONTHLY: z.string().min(1).optional(),
  STRIPE_PRICE_BASIC_YEARLY: z.string().min(1).optional(),
  STRIPE_PRICE_PREMIUM_MONTHLY: z.string().min(1).optional(),
  STRIPE_PRICE_PREMIUM_YEARLY: z.string().min(1).optional(),
};

export type StripePriceIds = Record<PaidPlanCode, Record<BillingInterval, string>>;

export interface BillingSettings {
  secretKey: string;
  webhookSecret: string;
  webhookToleranceSeconds: number;
  /** host/port/protocol for the SDK when talking to the emulator; null = api.stripe.com. */
  endpoint: { host: string; port: number; protocol: 'http' | 'https' } | null;
  prices: StripePriceIds;
}

type BillingEnv = z.infer<z.ZodObject<typeof billingEnv>>;

const priceVar = (plan: PaidPlanCode, interval: BillingInterval) =>
  `STRIPE_PRICE_${plan.toUpperCase()}_${interval.toUpperCase()}` as keyof BillingEnv;

/** Validated billing settings, or null when billing is off; a key without its companions is an error. */
export function billingSettings(env: BillingEnv): BillingSettings | null {
  if (!env.STRIPE_SECRET_KEY) return null;
  const missing: string[] = [];
  if (!env.STRIPE_WEBHOOK_SECRET) missing.push('STRIPE_WEBHOOK_SECRET');
  const prices = {} as StripePriceIds;
  for (const plan of PAID_PLAN_CODES) {
    prices[plan] = {} as Record<BillingInterval, string>;
    for (const interval of BILLING_INTERVALS) {
      const name = priceVar(plan, interval);
      const value = env[name];
      if (typeof value !== 'string' || !value) missing.push(name);
      else prices[plan][interval] = value;
    }
  }
  const ids = Object.values(prices).flatMap((p) => Object.values(p));
  if (new Set(ids).size !== ids.length)
    missing.push('STRIPE_PRICE_* (each plan and interval needs its own price id)');
  if (missing.length)
    throw new Error(
      `Invalid configuration for billing:\n  STRIPE_SECRET_KEY is set but these are missing or wrong: ${missing.join(', ')}`,
    );
  let endpoint: BillingSettings['endpoint'] = null;
  if (env.STRIPE_API_URL) {
    const url = new URL(env.STRIPE_API_URL);
    const protocol = url.protocol === 'https:' ? 'https' : 'http';
    endpoint = { host: url.hostname, port: Number(url.port || (protocol === 'https' ? 443 : 80)), protocol };
  }
  return {
    secretKey: env.STRIPE_SECRET_KEY,
    webhookSecret: env.STRIPE_WEBHOOK_SECRET ?? '',
    webhookToleranceSeconds: env.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
    endpoint,
    prices,
  };
}

/** The local Stripe emulator started by `npm start` when no STRIPE_SECRET_KEY is set (development only). */
const stripeEmulatorEnv = z.object({
  STRIPE_EMULATOR_HOST: z.string().default('127.0.0.1'),
  STRIPE_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(12111),
  /** Where the emulator delivers webhooks (the API's /api/stripe/webhook). */
  STRIPE_EMULATOR_WEBHOOK_URL: z.string().url().default('http://127.0.0.1:4000/api/stripe/webhook'),
  ...billingEnv,
});

export type StripeEmulatorConfig = z.infer<typeof stripeEmulatorEnv>;

export function loadStripeEmulatorConfig(env: NodeJS.ProcessEnv = process.env): StripeEmulatorConfig {
  const result = stripeEmulatorEnv.safeParse(env);
  if (!result.success)
    throw new Error(`Invalid configuration for the Stripe emulator: ${result.error.message}`);
  return result.data;
}
