import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { BillingView, CheckoutBody, PlanView, RedirectView } from '@sightline/api-contract';
import type { ApiConfig } from '@sightline/config';
import { billingMailTemplates, Mailer, type MailMessage } from '@sightline/mail';
import {
  currentPlans,
  effectivePlan,
  evaluateQuota,
  extendGrace,
  supportUnlock,
  type QuotaState,
  ingestionRefusedFrom,
  isPlanCode,
  planMisfits,
  planOf,
  smallestFittingPlan,
  type Plan,
} from '@sightline/plans';
import { conflict, DomainError, notFound } from '../common/domain-error';
import { API_CONFIG, LOGGER } from '../common/tokens';
import { BillingRepository, type SubscriptionState } from './billing.repository';
import { CapacityService } from './capacity.service';
import { StripeClient } from './stripe.client';
import { UsageRepository } from '../usage/usage.repository';

export function planView(plan: Readonly<Plan>): PlanView {
  return {
    code: plan.code,
    generation: plan.generation,
    name: plan.name,
    monthlyEventQuota: plan.monthlyEventQuota,
    siteLimit: plan.siteLimit,
    memberLimit: plan.memberLimit,
    retentionDays: plan.retentionDays,
    features: [...plan.features],
    displayPrice: { ...plan.displayPrice },
  };
}

/** Subscription statuses that still hold a plan (a newer checkout replaces an older subscription). */
const LIVE = new Set(['active', 'trialing', 'past_due', 'unpaid', 'incomplete', 'paused']);

/**
 * Plans, checkout, portal and the Stripe → Postgres sync. Stripe is the source of truth: every
 * webhook only says "something changed for this customer"; the current subscription is fetched
 * and written whole, so late, duplicate or reordered deliveries all end in the same state.
 */
@Injectable()
export class BillingService {
  constructor(
    @Inject(BillingRepository) private readonly billing: BillingRepository,
    @Inject(StripeClient) private readonly stripe: StripeClient,
    @Inject(CapacityService) private readonly capacity: CapacityService,
    @Inject(UsageRepository) private readonly usage: UsageRepository,
    @Inject(Mailer) private readonly mailer: Mailer,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  plans(): PlanView[] {
    return currentPlans().map(planView);
  }

  billingPageUrl(orgId: string): string {
    return `${this.config.PUBLIC_APP_URL}/orgs/${orgId}/billing`;
  }

  async view(orgId: string, now = new Date()): Promise<BillingView> {
    const [profile, quota, siteCount, memberCount, refusedEvents, cycles] = await Promise.all([
      this.billing.findProfile(orgId),
      this.billing.findQuotaState(orgId),
      this.billing.countSites(orgId),
      this.billing.countMembers(orgId),
      this.capacity.refusedEvents(orgId),
      this.usage.cycles(orgId, 7),
    ]);
    const plan = effectivePlan(profile, now);
    const current = cycles.find((c) => c.cycleStart <= now && now < c.cycleEnd) ?? null;
    const refusesFrom = ingestionRefusedFrom(profile);
    return {
      billingEnabled: this.stripe.enabled,
      plan: planView(plan),
      subscribedPlan: profile && isPlanCode(profile.planCode) ? profile.planCode : 'free',
      interval:
        profile?.billingInterval === 'monthly' || profile?.billingInterval === 'yearly'
          ? profile.billingInterval
          : null,
      subscriptionStatus: profile?.subscriptionStatus ?? null,
      currentPeriodEnd: profile?.currentPeriodEnd?.toISOString() ?? null,
      cancelAtPeriodEnd: profile?.cancelAtPeriodEnd ?? false,
      failedPaymentAttempts: profile?.failedPaymentAttempts ?? 0,
      hasCustomer: !!profile?.stripeCustomerId,
      usage: current
        ? {
            cycleStart: current.cycleStart.toISOString(),
            cycleEnd: current.cycleEnd.toISOString(),
            events: current.events,
            quota: plan.monthlyEventQuota,
            percent: Math.round((current.events / plan.monthlyEventQuota) * 1000) / 10,
            computedAt: current.computedAt?.toISOString() ?? null,
          }
        : null,
      previousCycles: cycles
        .filter((c) => c !== current && c.cycleEnd <= now)
        .map((c) => ({
          cycleStart: c.cycleStart.toISOString(),
          cycleEnd: c.cycleEnd.toISOString(),
          events: c.events,
        })),
      quota: {
        state: quota?.state === 'grace' || quota?.state === 'locked' ? quota.state : 'ok',
        reason: quota?.reason ?? null,
        graceEndsAt: quota?.graceEndsAt?.toISOString() ?? null,
        lockedAt: quota?.lockedAt?.toISOString() ?? null,
      },
      ingestion: {
        refused: refusesFrom !== null && now >= refusesFrom,
        refusesFrom: refusesFrom?.toISOString() ?? null,
        refusedEvents,
      },
      siteCount,
      memberCount,
    };
  }

  /**
   * A Checkout Session for a paid plan. Refused (409 `plan_too_small`) when the org's recent usage
   * already exceeds the target plan, naming the smallest plan that fits, unless support allowed
   * one override.
   */
  async checkout(orgId: string, ownerEmail: string, body: CheckoutBody): Promise<RedirectView> {
    const interval = body.interval ?? 'monthly';
    const priceId = this.stripe.priceId(body.plan, interval);
    const profile = await this.billing.ensureProfile(orgId);
    const target = planOf(body.plan);
    const needs = {
      events: await this.usage.recentPeak(orgId),
      sites: await this.billing.countSites(orgId),
      members: await this.billing.countMembers(orgId),
    };
    const misfits = planMisfits(target, needs);
    if (misfits.length && !profile.planCheckOverride) {
      const fits = smallestFittingPlan(needs);
      throw conflict(
        'plan_too_small',
        `The ${target.name} plan is too small for this org: ${misfits.join('; ')}. ` +
          (fits
            ? `The smallest plan that fits is ${fits.name} (${fits.code}).`
            : 'Contact support for a custom plan.'),
        'plan',
      );
    }
    const live =
      profile.stripeSubscriptionId && profile.subscriptionStatus && LIVE.has(profile.subscriptionStatus);
    if (live && profile.subscriptionStatus !== 'incomplete')
      throw conflict(
        'already_subscribed',
        'This org already has a subscription; change its plan in the billing portal',
      );
    const customerId = await this.customerFor(orgId, ownerEmail, profile.stripeCustomerId);
    const back = this.billingPageUrl(orgId);
    const session = await this.stripe.createCheckoutSession({
      orgId,
      customerId,
      priceId,
      successUrl: `${back}?checkout={CHECKOUT_SESSION_ID}`,
      cancelUrl: back,
    });
    if (misfits.length) await this.billing.setPlanCheckOverride(orgId, false); // the override is used up
    if (!session.url) throw new DomainError(502, 'stripe_error', 'Stripe did not return a checkout URL');
    return { url: session.url };
  }

  async portal(orgId: string): Promise<RedirectView> {
    const profile = await this.billing.findProfile(orgId);
    if (!profile?.stripeCustomerId)
      throw conflict('no_customer', 'This org has no billing account yet; choose a plan first');
    const session = await this.stripe.createPortalSession(
      profile.stripeCustomerId,
      this.billingPageUrl(orgId),
    );
    return { url: session.url };
  }

  /** The plan's site limit, checked when a site is added (409 `site_limit_reached` with what to do). */
  async assertCanAddSite(orgId: string, now = new Date()): Promise<void> {
    const plan = effectivePlan(await this.billing.findProfile(orgId), now);
    const count = await this.billing.countSites(orgId);
    if (count >= plan.siteLimit) {
      const bigger = currentPlans().find((p) => p.siteLimit > count);
      throw conflict(
        'site_limit_reached',
        `The ${plan.name} plan allows ${plan.siteLimit} sites and this org has ${count}. ` +
          (bigger
            ? `Remove a site or upgrade to ${bigger.name} (${bigger.siteLimit} sites).`
            : 'Remove a site or contact support.'),
      );
    }
  }

  /**
   * The plan's member limit, checked when someone is invited (`taken`: members plus pending
   * invitations) or joins (`taken`: members): 409 `member_limit_reached` with what to do.
   */
  async assertCanAddMember(
    orgId: string,
    taken: { members: number; pending: number },
    now = new Date(),
  ): Promise<void> {
    const plan = effectivePlan(await this.billing.findProfile(orgId), now);
    const count = taken.members + taken.pending;
    if (count < plan.memberLimit) return;
    const bigger = currentPlans().find((p) => p.memberLimit > count);
    const pending = taken.pending
      ? ` and ${taken.pending} pending invitation${taken.pending === 1 ? '' : 's'}`
      : '';
    throw conflict(
      'member_limit_reached',
      `The ${plan.name} plan allows ${plan.memberLimit} members and this org has ${taken.members} member${taken.members === 1 ? '' : 's'}${pending}. ` +
        (taken.pending ? 'Revoke an invitation, remove a member' : 'Remove a member') +
        (bigger ? ` or upgrade to ${bigger.name} (${bigger.memberLimit} members).` : ' or contact support.'),
    );
  }

  /** Support: give an org in grace `days` more days before its stats lock (admin module). */
  async extendGrace(orgId: string, days: number): Promise<void> {
    const state = await this.billing.findQuotaState(orgId);
    if (!state || state.state !== 'grace')
      throw conflict('not_in_grace', 'This org is not in a grace period');
    await this.billing.writeQuotaState(orgId, { ...state, ...extendGrace(state as QuotaState, days) });
    await this.capacity.refreshOrg(orgId);
  }

  /** Support: unlock a locked org's stats, with `days` of grace before the machine may lock again (admin module). */
  async unlockQuota(orgId: string, days: number, now = new Date()): Promise<void> {
    const state = await this.billing.findQuotaState(orgId);
    if (!state || state.state === 'ok') return;
    await this.billing.writeQuotaState(orgId, supportUnlock(state as QuotaState, now, days));
    await this.capacity.refreshOrg(orgId);
  }

  /** Support: let the next plan change skip the usage check once (called by the admin module). */
  allowPlanChangeOverride(orgId: string): Promise<void> {
    return this.billing.setPlanCheckOverride(orgId, true);
  }

  /** The success page: sync from the Checkout Session so the plan shows before the webhook lands. */
  async syncCheckout(orgId: string, sessionId: string): Promise<BillingView> {
    const session = await this.stripe.retrieveCheckoutSession(sessionId).catch(() => null);
    if (!session || session.client_reference_id !== orgId) throw notFound('Checkout session');
    const customerId = typeof session.customer === 'string' ? session.customer : session.customer?.id;
    if (customerId) await this.syncCustomer(customerId, orgId);
    return this.view(orgId);
  }

  /**
   * Fetches the customer's subscriptions from Stripe and writes the current one (the newest that
   * still holds a plan, else the newest) to the org's profile. Returns the org id, or null when the
   * customer belongs to no org we know.
   */
  async syncCustomer(customerId: string, orgHint?: string | null): Promise<string | null> {
    const profile = await this.billing.findProfileByCustomer(customerId);
    const orgId = profile?.orgId ?? null;
    if (!orgId) {
      if (!orgHint) return null;
      // The checkout may complete before our own write of the customer id (it never should, but
      // Stripe's events are the truth): attach it to the org named by the session.
      const attached = await this.billing.attachCustomer(orgHint, customerId);
      if (attached !== customerId) return null;
    }
    const org = orgId ?? (orgHint as string);
    const subs = await this.stripe.listSubscriptions(customerId);
    const byNewest = [...subs].sort((a, b) => b.created - a.created);
    const current = byNewest.find((s) => LIVE.has(s.status)) ?? byNewest[0] ?? null;
    await this.billing.writeSubscriptionState(org, await this.stateOf(current));
    if (current && LIVE.has(current.status))
      await this.billing.setBillingAnchor(org, new Date(current.billing_cycle_anchor * 1000));
    await this.unlockIfPlanFits(org);
    await this.capacity.refreshOrg(org);
    return org;
  }

  /** An upgrade that fits unlocks at once (grace or locked → ok), without waiting for the quota job. */
  private async unlockIfPlanFits(orgId: string, now = new Date()): Promise<void> {
    const state = await this.billing.findQuotaState(orgId);
    if (!state || state.state === 'ok') return;
    const plan = effectivePlan(await this.billing.findProfile(orgId), now);
    const cycles = await this.usage.cycles(orgId, 4);
    const toCycle = (c: (typeof cycles)[number]) => ({
      start: c.cycleStart,
      end: c.cycleEnd,
      events: c.events,
    });
    const decision = evaluateQuota({
      now,
      quota: plan.monthlyEventQuota,
      current: cycles.filter((c) => c.cycleStart <= now && now < c.cycleEnd).map(toCycle)[0] ?? null,
      closed: cycles.filter((c) => c.cycleEnd <= now).map(toCycle),
      state: state as QuotaState,
      sentMailKeys: new Set(),
    });
    if (decision.next.state === 'ok') await this.billing.writeQuotaState(orgId, decision.next);
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
    const priced = item ? this.stripe.planOfPrice(item.price.id) : null;
    if (item && !priced)
      this.logger.warn({ subscription: sub.id, price: item.price.id }, 'subscription with an unknown price');
    let failed = 0;
    const invoiceId = typeof sub.latest_invoice === 'string' ? sub.latest_invoice : sub.latest_invoice?.id;
    if (invoiceId && (sub.status === 'past_due' || sub.status === 'unpaid')) {
      const invoice = await this.stripe.retrieveInvoice(invoiceId);
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

  /** Sends a mail to each owner once per key (recorded first; released again if sending fails). */
  private async mailOwners(
    orgId: string,
    key: string,
    kind: string,
    build: (to: string, orgName: string) => MailMessage,
  ): Promise<void> {
    if (!(await this.billing.claimMail(orgId, key, kind))) return;
    try {
      const orgName = (await this.billing.orgName(orgId)) ?? 'your org';
      for (const to of await this.billing.ownerEmails(orgId)) await this.mailer.send(build(to, orgName));
    } catch (err) {
      await this.billing.releaseMail(orgId, key);
      throw err;
    }
  }

  private async customerFor(orgId: string, email: string, existing: string | null): Promise<string> {
    if (existing) return existing;
    const name = (await this.billing.orgName(orgId)) ?? orgId;
    const customer = await this.stripe.createCustomer(orgId, name, email);
    return this.billing.attachCustomer(orgId, customer.id);
  }
}
