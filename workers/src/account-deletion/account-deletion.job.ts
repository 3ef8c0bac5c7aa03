import { Inject, Injectable } from '@nestjs/common';
import { HOUR, MINUTE, type JobContext, type JobResult, type ScheduledJob } from '../jobs/scheduled-job';
import { AccountDeletionRepository } from './account-deletion.repository';

/** How long a deleted account can be restored with the link from the confirmation mail. */
export const ACCOUNT_DELETION_WINDOW_MS = 72 * HOUR;
const ACCOUNTS_PER_BATCH = 100;

/**
 * account-deletion (every 15 minutes): hard-deletes accounts whose 72-hour restore window is over
 * (or whose deletion support approved early, which moves the request back by 72 hours), and removes
 * orgs they left behind once the retention sweep has removed those orgs' sites and their events.
 * Idempotent: each account is purged in one transaction; a rerun finds nothing or finishes the rest.
 */
@Injectable()
export class AccountDeletionJob implements ScheduledJob {
  readonly name = 'account-deletion';
  readonly description = 'Deletes accounts 72 hours after their owners asked (and their sole-owned orgs)';
  readonly schedule = { every: 15 * MINUTE };
  readonly periodMs = 15 * MINUTE;
  readonly timeoutMs = 10 * MINUTE;
  readonly attempts = 3;

  constructor(@Inject(AccountDeletionRepository) private readonly accounts: AccountDeletionRepository) {}

  async run(ctx: JobContext, now = new Date()): Promise<JobResult> {
    const cutoff = new Date(now.getTime() - ACCOUNT_DELETION_WINDOW_MS);
    let accountsDeleted = 0;
    let orgsDeleted = 0;
    let sitesDeleted = 0;
    for (;;) {
      ctx.signal.throwIfAborted();
      const due = await this.accounts.listDue(cutoff, ACCOUNTS_PER_BATCH);
      for (const userId of due) {
        const purged = await this.accounts.purge(userId);
        accountsDeleted++;
        orgsDeleted += purged.orgIds.length;
        sitesDeleted += purged.siteIds.length;
      }
      if (due.length < ACCOUNTS_PER_BATCH) break;
    }
    const orgsRemoved = await this.accounts.removeEmptyDeletedOrgs();
    if (accountsDeleted > 0)
      ctx.logger.info({ accountsDeleted, orgsDeleted, sitesDeleted }, 'accounts deleted');
    return { accountsDeleted, orgsDeleted, sitesDeleted, orgsRemoved };
  }
}
