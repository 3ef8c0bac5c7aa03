import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BillingStore } from '@sightline/billing';
import {
  BillingMailEntity,
  BillingProfileEntity,
  MembershipEntity,
  SiteEntity,
  StripeEventEntity,
  UserEntity,
} from '@sightline/database';

export type { SubscriptionState } from '@sightline/billing';

export type EventClaim = 'new' | 'duplicate' | 'retry';

/**
 * Billing profiles, received Stripe events, quota states and the record of billing mails: the
 * sync's store (libs/billing, shared with the workers) plus what only the api needs.
 */
@Injectable()
export class BillingRepository extends BillingStore {
  constructor(@Inject(DataSource) dataSource: DataSource) {
    super(dataSource);
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

  async mailKinds(orgId: string): Promise<{ key: string; kind: string; sentAt: Date }[]> {
    const rows = await this.dataSource.manager.find(BillingMailEntity, {
      where: { orgId },
      order: { id: 'ASC' },
    });
    return rows.map((r) => ({ key: r.key, kind: r.kind, sentAt: r.sentAt }));
  }

  countSites(orgId: string): Promise<number> {
    return this.dataSource.manager.countBy(SiteEntity, { orgId });
  }

  countMembers(orgId: string): Promise<number> {
    return this.dataSource.manager.countBy(MembershipEntity, { orgId });
  }

  async userEmail(userId: string): Promise<string> {
    return (await this.dataSource.manager.findOneByOrFail(UserEntity, { id: userId })).email;
  }
}
