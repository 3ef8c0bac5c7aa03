import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  BillingMailEntity,
  BillingProfileEntity,
  MembershipEntity,
  OrgEntity,
  QuotaStateEntity,
  SiteEntity,
  StripeEventEntity,
  UserEntity,
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

export type EventClaim = 'new' | 'duplicate' | 'retry';

/** Billing profiles, received Stripe events, quota states and the record of billing mails. */
@Injectable()
export class BillingRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

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

  async setPlanCheckOverride(orgId: string, value: boolean): Promise<void> {
    await this.ensureProfile(orgId);
    await this.dataSource.manager.update(BillingProfileEntity, { orgId }, { planCheckOverride: value });
  }

  /** Stores the event id once. `duplicate`: handled before; `retry`: stored but its handling failed. */
  async claimEvent(id: string, type: string): Promise<EventClaim> {
    const inserted = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(StripeEventEntity)
      .values({ id, type })
      .orIgnore()
      .returning('id')
      .execute();
    if ((inserted.raw as unknown[]).length > 0) return 'new';
    const existing = await this.dataSource.manager.findOneBy(StripeEventEntity, { id });
    return existing?.processedAt ? 'duplicate' : 'retry';
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

  async mailKinds(orgId: string): Promise<{ key: string; kind: string; sentAt: Date }[]> {
    const rows = await this.dataSource.manager.find(BillingMailEntity, {
      where: { orgId },
      order: { id: 'ASC' },
    });
    return rows.map((r) => ({ key: r.key, kind: r.kind, sentAt: r.sentAt }));
  }

  findQuotaState(orgId: string): Promise<QuotaStateEntity | null> {
    return this.dataSource.manager.findOneBy(QuotaStateEntity, { orgId });
  }

  async writeQuotaState(
    orgId: string,
    state: Pick<QuotaStateEntity, 'state' | 'reason' | 'graceStartedAt' | 'graceEndsAt' | 'lockedAt'>,
  ): Promise<void> {
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

  async orgName(orgId: string): Promise<string | null> {
    return (await this.dataSource.manager.findOneBy(OrgEntity, { id: orgId }))?.name ?? null;
  }

  countSites(orgId: string): Promise<number> {
    return this.dataSource.manager.countBy(SiteEntity, { orgId });
  }

  async siteIds(orgId: string): Promise<number[]> {
    const rows = await this.dataSource.manager.find(SiteEntity, { select: { id: true }, where: { orgId } });
    return rows.map((r) => r.id);
  }

  countMembers(orgId: string): Promise<number> {
    return this.dataSource.manager.countBy(MembershipEntity, { orgId });
  }

  /** Addresses billing mails go to: the org's owners. */
  async ownerEmails(orgId: string): Promise<string[]> {
    const rows = await this.dataSource.manager.find(MembershipEntity, {
      where: { orgId, role: 'owner' },
      relations: { user: true },
    });
    return rows.map((r) => r.user?.email).filter((e): e is string => typeof e === 'string');
  }

  async userEmail(userId: string): Promise<string> {
    return (await this.dataSource.manager.findOneByOrFail(UserEntity, { id: userId })).email;
  }
}
