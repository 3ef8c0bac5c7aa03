import { DataSource } from 'typeorm';
import type { BillingMailLedger } from './billing-mail-ledger';
import {
  BillingMailEntity,
  BillingProfileEntity,
  MembershipEntity,
  OrgEntity,
  QuotaStateEntity,
  SiteEntity,
  StripeEventEntity,
  UsageCycleEntity,
} from '@sightline/database';

export interface SubscriptionState {
  planCode: string;
  billingInterval: string | null;
  stripeSubscriptionId: string | null;
  subscriptionStatus: string | null;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  failedPaymentAttempts: number;
}

export interface UsageCycleRow {
  cycleStart: Date;
  cycleEnd: Date;
  events: number;
  computedAt: Date | null;
}

export type QuotaStateFields = Pick<
  QuotaStateEntity,
  'state' | 'reason' | 'graceStartedAt' | 'graceEndsAt' | 'lockedAt'
>;

/**
 * What the Stripe → Postgres sync reads and writes (billing profiles, received Stripe events,
 * quota states, billing mails), shared by the api (checkout success page) and the workers
 * (webhook job). The api's BillingRepository extends it.
 */
export class BillingStore implements BillingMailLedger {
  constructor(protected readonly dataSource: DataSource) {}

  findProfile(orgId: string): Promise<BillingProfileEntity | null> {
    return this.dataSource.manager.findOneBy(BillingProfileEntity, { orgId });
  }

  findProfileByCustomer(customerId: string): Promise<BillingProfileEntity | null> {
    return this.dataSource.manager.findOneBy(BillingProfileEntity, { stripeCustomerId: customerId });
  }

  async ensureProfile(orgId: string): Promise<BillingProfileEntity> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(BillingProfileEntity)
      .values({ orgId })
      .orIgnore()
      .execute();
    return this.dataSource.manager.findOneByOrFail(BillingProfileEntity, { orgId });
  }

  /** Sets the Stripe customer once; returns the id now stored (another request may have won). */
  async attachCustomer(orgId: string, customerId: string): Promise<string> {
    await this.dataSource
      .createQueryBuilder()
      .update(BillingProfileEntity)
      .set({ stripeCustomerId: customerId })
      .where('org_id = :orgId AND stripe_customer_id IS NULL', { orgId })
      .execute();
    const profile = await this.dataSource.manager.findOneByOrFail(BillingProfileEntity, { orgId });
    return profile.stripeCustomerId ?? customerId;
  }

  async writeSubscriptionState(orgId: string, state: SubscriptionState): Promise<void> {
    await this.ensureProfile(orgId);
    await this.dataSource.manager.update(BillingProfileEntity, { orgId }, { ...state, syncedAt: new Date() });
  }

  /** Usage cycles follow the subscription's billing cycle anchor (null: the org's creation). */
  async setBillingAnchor(orgId: string, anchor: Date): Promise<void> {
    await this.dataSource.manager.update(OrgEntity, { id: orgId }, { billingAnchorAt: anchor });
  }

  /** True once the event's handling has finished (a job retried after success does nothing). */
  async isEventProcessed(id: string): Promise<boolean> {
    const row = await this.dataSource.manager.findOneBy(StripeEventEntity, { id });
    return !!row?.processedAt;
  }

  async markEventProcessed(id: string, orgId: string | null): Promise<void> {
    await this.dataSource.manager.update(StripeEventEntity, { id }, { processedAt: new Date(), orgId });
  }

  /** Claims a mail's key; false when it was sent (or is being sent) already. */
  async claimMail(orgId: string, key: string, kind: string): Promise<boolean> {
    const inserted = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(BillingMailEntity)
      .values({ orgId, key, kind })
      .orIgnore()
      .returning('id')
      .execute();
    return (inserted.raw as unknown[]).length > 0;
  }

  /** Gives a claimed mail key back after the mail could not be sent, so the next run retries it. */
  async releaseMail(orgId: string, key: string): Promise<void> {
    await this.dataSource.manager.delete(BillingMailEntity, { orgId, key });
  }

  findQuotaState(orgId: string): Promise<QuotaStateEntity | null> {
    return this.dataSource.manager.findOneBy(QuotaStateEntity, { orgId });
  }

  async writeQuotaState(orgId: string, state: QuotaStateFields): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(QuotaStateEntity)
      .values({ orgId, ...state })
      .orUpdate(
        ['state', 'reason', 'grace_started_at', 'grace_ends_at', 'locked_at', 'updated_at'],
        ['org_id'],
      )
      .execute();
  }

  /** The org's newest metered cycles (written by the workers' metering job), newest first. */
  async usageCycles(orgId: string, limit: number): Promise<UsageCycleRow[]> {
    const rows = await this.dataSource.getRepository(UsageCycleEntity).find({
      where: { orgId },
      order: { cycleStart: 'DESC' },
      take: limit,
    });
    return rows.map((r) => ({
      cycleStart: r.cycleStart,
      cycleEnd: r.cycleEnd,
      events: Number(r.events),
      computedAt: r.computedAt,
    }));
  }

  async orgName(orgId: string): Promise<string | null> {
    return (await this.dataSource.manager.findOneBy(OrgEntity, { id: orgId }))?.name ?? null;
  }

  async siteIds(orgId: string): Promise<number[]> {
    const rows = await this.dataSource.manager.find(SiteEntity, { select: { id: true }, where: { orgId } });
    return rows.map((r) => r.id);
  }

  /** Addresses billing mails go to: the org's owners. */
  async ownerEmails(orgId: string): Promise<string[]> {
    const rows = await this.dataSource.manager.find(MembershipEntity, {
      where: { orgId, role: 'owner' },
      relations: { user: true },
    });
    return rows.map((r) => r.user?.email).filter((e): e is string => typeof e === 'string');
  }
}
