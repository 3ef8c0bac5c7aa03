import { z } from 'zod';

export type PlanCodeView = 'free' | 'basic' | 'premium';
export type BillingIntervalView = 'monthly' | 'yearly';

/** One plan of the pricing table (`GET /api/plans`). */
export interface PlanView {
  code: PlanCodeView;
  generation: number;
  name: string;
  monthlyEventQuota: number;
  siteLimit: number;
  memberLimit: number;
  retentionDays: number;
  features: string[];
  /** List prices in US cents. */
  displayPrice: { monthly: number; yearly: number };
}

export const checkoutBody = z.object({
  plan: z.enum(['basic', 'premium']),
  interval: z.enum(['monthly', 'yearly']).default('monthly'),
});
export type CheckoutBody = z.input<typeof checkoutBody>;

export const syncCheckoutBody = z.object({ sessionId: z.string().trim().min(1).max(255) });
export type SyncCheckoutBody = z.infer<typeof syncCheckoutBody>;

export interface RedirectView {
  url: string;
}

export type QuotaStateView = 'ok' | 'grace' | 'locked';

export interface BillingCycleView {
  cycleStart: string;
  cycleEnd: string;
  events: number;
}

/** `GET /api/orgs/:orgId/billing`. */
export interface BillingView {
  /** False when the server has no Stripe key (plans shown, checkout unavailable). */
  billingEnabled: boolean;
  /** The plan whose limits apply now (free once an unpaid or canceled subscription's period ended). */
  plan: PlanView;
  /** The plan paid for in Stripe (may differ from `plan` after non-payment). */
  subscribedPlan: PlanCodeView;
  interval: BillingIntervalView | null;
  subscriptionStatus: string | null;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  failedPaymentAttempts: number;
  hasCustomer: boolean;
  /** The current usage cycle as the metering job counted it (null before its first run). */
  usage: (BillingCycleView & { quota: number; percent: number; computedAt: string | null }) | null;
  previousCycles: BillingCycleView[];
  quota: {
    state: QuotaStateView;
    reason: string | null;
    graceEndsAt: string | null;
    lockedAt: string | null;
  };
  /** Ingestion is refused only for an org 30 days past an unpaid period; when it is, and since when. */
  ingestion: { refused: boolean; refusesFrom: string | null; refusedEvents: number };
  siteCount: number;
  memberCount: number;
}
