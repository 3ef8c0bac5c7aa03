import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { BillingRepository } from './billing.repository';

export const quotaLocked = () =>
  new DomainError(
    402,
    'quota_locked',
    "This org's stats are locked because it stayed over its plan's event quota after the grace period. " +
      'Your stats are still being counted: no event is dropped. Upgrade the plan to unlock them at once.',
  );

/** The stats view's lock: locked orgs get 402 `quota_locked` on stats reads (settings, billing and exports stay open). */
@Injectable()
export class QuotaLockService {
  constructor(@Inject(BillingRepository) private readonly billing: BillingRepository) {}

  async assertStatsOpen(orgId: string): Promise<void> {
    const state = await this.billing.findQuotaState(orgId);
    if (state?.state === 'locked') throw quotaLocked();
  }
}
