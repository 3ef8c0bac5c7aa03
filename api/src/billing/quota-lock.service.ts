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

  /**
   * Throws 402 when the org is locked. Past data stays exportable: a query whose explicit
   * `date_range: [from, to]` ends before the day the stats locked is answered (the CSV export of
   * the lock screen uses this).
   */
  async assertStatsOpen(orgId: string, query?: unknown): Promise<void> {
    const state = await this.billing.findQuotaState(orgId);
    if (state?.state !== 'locked') return;
    const range = (query as { date_range?: unknown } | undefined)?.date_range;
    const lockedDay = (state.lockedAt ?? new Date()).toISOString().slice(0, 10);
    if (
      Array.isArray(range) &&
      typeof range[1] === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(range[1]) &&
      range[1] < lockedDay
    )
      return;
    throw quotaLocked();
  }
}
