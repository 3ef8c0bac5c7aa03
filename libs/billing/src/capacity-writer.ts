import type Redis from 'ioredis';
import {
  CAPACITY_TTL_SECONDS,
  capacityKey,
  ingestionRefusedFrom,
  type CapacityDecision,
} from '@sightline/plans';
import type { BillingStore } from './billing-store';

/**
 * Writes the ingest's per-site capacity decision to Redis (see libs/plans capacity-contract):
 * called on every plan, payment, grace or lock change, so the ingest never waits for its TTL.
 */
export class CapacityWriter {
  constructor(
    protected readonly redis: Redis,
    protected readonly store: BillingStore,
  ) {}

  async decide(orgId: string, now = new Date()): Promise<CapacityDecision> {
    const refusedFrom = ingestionRefusedFrom(await this.store.findProfile(orgId));
    const refuse = refusedFrom !== null && now.getTime() >= refusedFrom.getTime();
    return { accept: !refuse, orgId, reason: refuse ? 'unpaid' : null };
  }

  /** Recomputes and stores the decision for every site of the org. */
  async refreshOrg(orgId: string): Promise<CapacityDecision> {
    const decision = await this.decide(orgId);
    const siteIds = await this.store.siteIds(orgId);
    if (siteIds.length) {
      const value = JSON.stringify(decision);
      const multi = this.redis.multi();
      for (const id of siteIds) multi.set(capacityKey(id), value, 'EX', CAPACITY_TTL_SECONDS);
      await multi.exec();
    }
    return decision;
  }
}
