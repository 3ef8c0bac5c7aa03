import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { StripePriceIds } from '@sightline/config';
import { billingMailTemplates, type Mailer, type MailMessage } from '@sightline/mail';
import { effectivePlan, evaluateQuota, type QuotaState } from '@sightline/plans';
import type { BillingStore, SubscriptionState, UsageCycleRow } from './billing-store';
import type { CapacityWriter } from './capacity-writer';
import { planOfPrice } from './stripe-sdk';
import { sendBillingMailOnce } from './billing-mail-ledger';

/** Subscription statuses that still hold a plan (a newer checkout replaces an older subscription). */
export const LIVE_SUBSCRIPTION_STATUSES: ReadonlySet<string> = new Set([
  'active',
  'trialing',
  'past_due',
  'unpaid',
  'incomplete',
  'paused',
]);

export interface SubscriptionSyncDeps {
  stripe: Stripe;
  prices: StripePriceIds;
  store: BillingStore;
  capacity: CapacityWriter;
  mailer: Mailer;
  logger: Logger;
  /** The dashboard's origin; billing mails link to its Billing page. */
  publicAppUrl: string;
}

/**
 * The Stripe → Postgres sync. Stripe is the source of truth: every webhook only says "something
 * changed for this customer"; the current subscription is fetched and written whole, so late,
 * duplicate or reordered deliveries all end in the same state. Used by the workers' stripe-event
 * job (webhooks) and by the api's checkout success page.
 */
export class SubscriptionSync {
  constructor(private readonly deps: SubscriptionSyncDeps) {}

  billingPageUrl(orgId: string): string {
    return `${this.deps.publicAppUrl}/orgs/${orgId}/billing`;
  }

  /**
   * Fetches the customer's subscriptions from Stripe and writes the current one (the newest that
   * still holds a plan, else the newest) to the org's profile. Returns the org id, or null when the
   * customer belongs to no org we know.
   */
  async syncCustomer(customerId: string, orgHint?: string | null): Promise<string | null> {
    const { store, stripe } = this.deps;
    const profile = await store.findProfileByCustomer(customerId);
    const orgId = profile?.orgId ?? null;
    if (!orgId) {
      if (!orgHint) return null;
      // The checkout may complete before our own write of the customer id (it never should, but
      // Stripe's events are the truth): attach it to the org named by the session.
      await store.ensureProfile(orgHint);
      const attached = await store.attachCustomer(orgHint, customerId);
      if (attached !== customerId) return null;
    }
    const org = orgId ?? (orgHint as string);
    const page = await stripe.subscriptions.list({ customer: customerId, status: 'all', limit: 20 });
    const byNewest = [...page.data].sort((a, b) => b.created - a.created);
    const current = byNewest.find((s) => LIVE_SUBSCRIPTION_STATUSES.has(s.status)) ?? byNewest[0] ?? null;
    await store.writeSubscriptionState(org, await this.stateOf(current));
    if (current && LIVE_SUBSCRIPTION_STATUSES.has(current.status))
      await store.setBillingAnchor(org, new Date(current.billing_cycle_anchor * 1000));
    await this.unlockIfPlanFits(org);
    await this.deps.capacity.refreshOrg(org);
    return org;
  }

  /** One webhook event, already verified and claimed. Returns the org it concerned. */
  async handleEvent(event: Stripe.Event): Promise<string | null> {
    switch (event.type) {
      case 'checkout.session.completed': {
        const session = event.data.object;
        const customer = typeof session.customer === 'string' ? session.customer : session.customer?.id;
        return customer ? this.syncCustomer(customer, session.client_reference_id) : null;
      }
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted':
      case 'customer.subscription.paused':
      case 'customer.subscription.resumed':
      case 'customer.subscription.trial_will_end': {
        const sub = event.data.object;
        const customer = typeof sub.customer === 'string' ? sub.customer : sub.customer.id;
        const orgId = await this.syncCustomer(customer, sub.metadata?.['org_id']);
        if (orgId && event.type === 'customer.subscription.trial_will_end') {
          const endsAt = sub.trial_end ? new Date(sub.trial_end * 1000) : null;
          await this.mailOwners(orgId, `trial-ending:${sub.id}`, 'trial_ending', (to, orgName) =>
            billingMailTemplates.trialEnding(to, { orgName, endsAt, link: this.billingPageUrl(orgId) }),
          );
        }
        return orgId;
      }
      case 'invoice.paid':
      case 'invoice.payment_failed':
      case 'invoice.payment_action_required': {
        const invoice = event.data.object;
        const customer = typeof invoice.customer === 'string' ? invoice.customer : invoice.customer?.id;
        if (!customer) return null;
        const orgId = await this.syncCustomer(customer);
        if (!orgId) return null;
        const link = this.billingPageUrl(orgId);
        if (event.type === 'invoice.payment_failed') {
          const attempt = invoice.attempt_count;
          const nextAttempt = invoice.next_payment_attempt
            ? new Date(invoice.next_payment_attempt * 1000)
            : null;
          await this.mailOwners(
            orgId,
            `payment-failed:${invoice.id}:${attempt}`,
            'payment_failed',
            (to, orgName) => billingMailTemplates.paymentFailed(to, { orgName, attempt, nextAttempt, link }),
          );
        } else if (event.type === 'invoice.payment_action_required') {
          await this.mailOwners(
            orgId,
            `action-required:${invoice.id}`,
            'payment_action_required',
            (to, orgName) => billingMailTemplates.paymentActionRequired(to, { orgName, link }),
          );
        }
        return orgId;
      }
      default:
        return null;
    }
  }

  /** An upgrade that fits unlocks at once (grace or locked → ok), without waiting for the quota job. */
  private async unlockIfPlanFits(orgId: string, now = new Date()): Promise<void> {
    const { store } = this.deps;
    const state = await store.findQuotaState(orgId);
    if (!state || state.state === 'ok') return;
    const plan = effectivePlan(await store.findProfile(orgId), now);
    const cycles = await store.usageCycles(orgId, 4);
    const toCycle = (c: UsageCycleRow) => ({ start: c.cycleStart, end: c.cycleEnd, events: c.events });
    const decision = evaluateQuota({
      now,
      quota: plan.monthlyEventQuota,
      current: cycles.filter((c) => c.cycleStart <= now && now < c.cycleEnd).map(toCycle)[0] ?? null,
      closed: cycles.filter((c) => c.cycleEnd <= now).map(toCycle),
      state: state as QuotaState,
      sentMailKeys: new Set(),
    });
    if (decision.next.state === 'ok') await store.writeQuotaState(orgId, decision.next);
  }

  private async stateOf(sub: Stripe.Subscription | null): Promise<SubscriptionState> {
    if (!sub)
      return {
        planCode: 'free',
        billingInterval: null,
        stripeSubscriptionId: null,
        subscriptionStatus: null,
        currentPeriodStart: null,
        currentPeriodEnd: null,
        cancelAtPeriodEnd: false,
        failedPaymentAttempts: 0,
      };
    const item = sub.items.data[0];
    const priced = item ? planOfPrice(this.deps.prices, item.price.id) : null;
    if (item && !priced)
      this.deps.logger.warn(
        { subscription: sub.id, price: item.price.id },
        'subscription with an unknown price',
      );
    let failed = 0;
    const invoiceId = typeof sub.latest_invoice === 'string' ? sub.latest_invoice : sub.latest_invoice?.id;
    if (invoiceId && (sub.status === 'past_due' || sub.status === 'unpaid')) {
      const invoice = await this.deps.stripe.invoices.retrieve(invoiceId);
      failed = invoice.status === 'open' ? invoice.attempt_count : 0;
    }
    return {
      planCode: priced?.plan ?? 'free',
      billingInterval: priced?.interval ?? null,
      stripeSubscriptionId: sub.id,
      subscriptionStatus: sub.status,
      currentPeriodStart: item ? new Date(item.current_period_start * 1000) : null,
      currentPeriodEnd: item ? new Date(item.current_period_end * 1000) : null,
      cancelAtPeriodEnd: sub.cancel_at_period_end,
      failedPaymentAttempts: failed,
    };
  }

  /** Sends a mail to each owner once per key (recorded first; released again if sending fails). */
  private async mailOwners(
    orgId: string,
    key: string,
    kind: string,
    build: (to: string, orgName: string) => MailMessage,
  ): Promise<void> {
    const { store, mailer } = this.deps;
    await sendBillingMailOnce(store, { orgId, key, kind }, async () => {
      const orgName = (await store.orgName(orgId)) ?? 'your org';
      for (const to of await store.ownerEmails(orgId)) await mailer.send(build(to, orgName));
    });
  }
}
