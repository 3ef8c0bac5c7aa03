import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BillingMailEntity, BillingProfileEntity, OrgEntity, QuotaStateEntity } from '@sightline/database';
import type { BillingStanding, QuotaState, UsageCycle } from '@sightline/plans';
import { BillingStore } from '@sightline/billing';

export interface OrgForQuota {
  orgId: string;
  name: string;
  standing: BillingStanding | null;
  state: QuotaState;
  /** Newest first. */
  cycles: (UsageCycle & { computedAt: Date })[];
  sentMailKeys: Set<string>;
}

/**
 * Postgres side of the quota job: what it reads per org in one go. Quota states, the mail ledger,
 * owners and site ids come from BillingStore, which the api's billing shares.
 */
@Injectable()
export class QuotaRepository extends BillingStore {
  constructor(@Inject(DataSource) dataSource: DataSource) {
    super(dataSource);
  }

  async orgIds(): Promise<string[]> {
    const rows = await this.dataSource.manager.find(OrgEntity, {
      select: { id: true },
      order: { id: 'ASC' },
    });
    return rows.map((r) => r.id);
  }

  async load(orgId: string): Promise<OrgForQuota | null> {
    const em = this.dataSource.manager;
    const org = await em.findOneBy(OrgEntity, { id: orgId });
    if (!org) return null;
    const [profile, state, mails, cycles] = await Promise.all([
      em.findOneBy(BillingProfileEntity, { orgId }),
      em.findOneBy(QuotaStateEntity, { orgId }),
      em.find(BillingMailEntity, { select: { key: true }, where: { orgId } }),
      this.dataSource.query(
        'SELECT cycle_start, cycle_end, events, computed_at FROM usage_cycles WHERE org_id = $1 ORDER BY cycle_start DESC LIMIT 4',
        [orgId],
      ) as Promise<{ cycle_start: Date; cycle_end: Date; events: string; computed_at: Date }[]>,
    ]);
    return {
      orgId,
      name: org.name,
      standing: profile,
      state: state
        ? {
            state: state.state === 'grace' || state.state === 'locked' ? state.state : 'ok',
            reason: state.reason,
            graceStartedAt: state.graceStartedAt,
            graceEndsAt: state.graceEndsAt,
            lockedAt: state.lockedAt,
          }
        : { state: 'ok', reason: null, graceStartedAt: null, graceEndsAt: null, lockedAt: null },
      cycles: cycles.map((c) => ({
        start: new Date(c.cycle_start),
        end: new Date(c.cycle_end),
        events: Number(c.events),
        computedAt: new Date(c.computed_at),
      })),
      sentMailKeys: new Set(mails.map((m) => m.key)),
    };
  }
}
