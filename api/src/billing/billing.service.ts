import { Inject, Injectable } from '@nestjs/common';
import { LIVE_SUBSCRIPTION_STATUSES, SubscriptionSync } from '@sightline/billing';
import type { BillingView, CheckoutBody, PlanView, RedirectView } from '@sightline/api-contract';
import type { ApiConfig } from '@sightline/config';
import {
  BILLING_INTERVALS,
  PAID_PLAN_CODES,
  currentPlans,
  effectivePlan,
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
import { API_CONFIG } from '../common/tokens';
import { BillingRepository } from './billing.repository';
import { CapacityService } from './capacity.service';
import { billingUnavailable, StripeClient } from './stripe.client';
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

const LIVE = LIVE_SUBSCRIPTION_STATUSES;

/**
 * Plans, checkout, portal, the billing view and the plan limits. The Stripe → Postgres sync is
 * libs/billing's SubscriptionSync (webhooks reach it through the workers' stripe-event job).
 */
@Injectable()
export class BillingService {
  constructor(
    @Inject(BillingRepository) private readonly billing: BillingRepository,
    @Inject(StripeClient) private readonly stripe: StripeClient,
    @Inject(CapacityService) private readonly capacity: CapacityService,
    @Inject(UsageRepository) private readonly usage: UsageRepository,
    @Inject(SubscriptionSync) private readonly sync: SubscriptionSync | null,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
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
    const needs = await this.needs(orgId);
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

  /**
   * A Customer Portal session whose plan switches are only the plans the org's usage fits (the
   * same check as checkout), so a downgrade the org has outgrown cannot be bought in the portal;
   * support's one-time override opens every plan.
   */
  async portal(orgId: string): Promise<RedirectView> {
    const profile = await this.billing.findProfile(orgId);
    if (!profile?.stripeCustomerId)
      throw conflict('no_customer', 'This org has no billing account yet; choose a plan first');
    const needs = await this.needs(orgId);
    const fitting = PAID_PLAN_CODES.filter((code) => planMisfits(planOf(code), needs).length === 0);
    const override = profile.planCheckOverride && fitting.length < PAID_PLAN_CODES.length;
    const allowed = (override ? PAID_PLAN_CODES : fitting).flatMap((code) =>
      BILLING_INTERVALS.map((interval) => this.stripe.priceId(code, interval)),
    );
    const configuration = await this.stripe.portalConfiguration(allowed);
    const session = await this.stripe.createPortalSession(
      profile.stripeCustomerId,
      this.billingPageUrl(orgId),
      configuration,
    );
    if (override) await this.billing.setPlanCheckOverride(orgId, false); // the override is used up
    return { url: session.url };
  }

  /** What a plan must hold for this org: the recent usage peak, its sites and its members. */
  private async needs(orgId: string): Promise<{ events: number; sites: number; members: number }> {
    return {
      events: await this.usage.recentPeak(orgId),
      sites: await this.billing.countSites(orgId),
      members: await this.billing.countMembers(orgId),
    };
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

  /** The success page: sync from the Checkout Session so the plan shows before the webhook's job ran. */
  async syncCheckout(orgId: string, sessionId: string): Promise<BillingView> {
    if (!this.sync) throw billingUnavailable();
    const session = await this.stripe.retrieveCheckoutSession(sessionId).catch(() => null);
    if (!session || session.client_reference_id !== orgId) throw notFound('Checkout session');
    const customerId = typeof session.customer === 'string' ? session.customer : session.customer?.id;
    if (customerId) await this.sync.syncCustomer(customerId, orgId);
    return this.view(orgId);
  }

  private async customerFor(orgId: string, email: string, existing: string | null): Promise<string> {
    if (existing) return existing;
    const name = (await this.billing.orgName(orgId)) ?? orgId;
    const customer = await this.stripe.createCustomer(orgId, name, email);
    return this.billing.attachCustomer(orgId, customer.id);
  }
}
