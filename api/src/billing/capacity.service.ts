import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import {
  CAPACITY_TTL_SECONDS,
  capacityKey,
  ingestionRefusedFrom,
  refusedEventsKey,
  type CapacityDecision,
} from '@sightline/plans';
import { REDIS } from '../common/tokens';
import { BillingRepository } from './billing.repository';

/**
 * Writes the ingest's per-site capacity decision to Redis (see libs/plans capacity-contract):
 * called on every plan, payment, grace or lock change, so the ingest never waits for its TTL.
 */
@Injectable()
export class CapacityService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(BillingRepository) private readonly billing: BillingRepository,
  ) {}

  async decide(orgId: string, now = new Date()): Promise<CapacityDecision> {
    const refusedFrom = ingestionRefusedFrom(await this.billing.findProfile(orgId));
    const refuse = refusedFrom !== null && now.getTime() >= refusedFrom.getTime();
    return { accept: !refuse, orgId, reason: refuse ? 'unpaid' : null };
  }

  /** Recomputes and stores the decision for every site of the org. */
  async refreshOrg(orgId: string): Promise<CapacityDecision> {
    const decision = await this.decide(orgId);
    const siteIds = await this.billing.siteIds(orgId);
    if (siteIds.length) {
      const value = JSON.stringify(decision);
      const multi = this.redis.multi();
      for (const id of siteIds) multi.set(capacityKey(id), value, 'EX', CAPACITY_TTL_SECONDS);
      await multi.exec();
    }
    return decision;
  }

  /** Events the ingest refused for this org (all time). */
  async refusedEvents(orgId: string): Promise<number> {
    const perDay = await this.redis.hvals(refusedEventsKey(orgId));
    return perDay.reduce((sum, v) => sum + Number(v), 0);
  }
}
