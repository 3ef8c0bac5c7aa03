import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { CapacityWriter } from '@sightline/billing';
import { refusedEventsKey } from '@sightline/plans';
import { REDIS } from '../common/tokens';
import { BillingRepository } from './billing.repository';

/** The ingest's per-site capacity decisions (libs/billing CapacityWriter) and the refused-event counts. */
@Injectable()
export class CapacityService extends CapacityWriter {
  constructor(@Inject(REDIS) redis: Redis, @Inject(BillingRepository) billing: BillingRepository) {
    super(redis, billing);
  }

  /** Events the ingest refused for this org (all time). */
  async refusedEvents(orgId: string): Promise<number> {
    const perDay = await this.redis.hvals(refusedEventsKey(orgId));
    return perDay.reduce((sum, v) => sum + Number(v), 0);
  }
}
