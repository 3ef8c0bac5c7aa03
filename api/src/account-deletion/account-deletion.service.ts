import { Inject, Injectable } from '@nestjs/common';
import type { ApiConfig } from '@sightline/config';
import type { DeleteAccountBody } from '@sightline/api-contract';
import { Mailer } from '@sightline/mail';
import { PasswordHasher } from '../auth/password-hasher';
import { SessionService } from '../auth/session.service';
import { UserRepository } from '../auth/user.repository';
import { EmailTokenRepository } from '../auth/email-token.repository';
import { DomainError, unauthenticated } from '../common/domain-error';
import { hashSecretToken, newSecretToken } from '../common/secret-token';
import { API_CONFIG } from '../common/tokens';
import { mailTemplates } from '../mail/mail-templates';
import { TwoFactorService } from '../two-factor/two-factor.service';
import { AccountDeletionRepository, type PurgedAccount } from './account-deletion.repository';
import { SiteEventsPurgeRepository } from './site-events-purge.repository';

/** How long a deleted account can still be restored with the link from the confirmation mail. */
export const DELETION_WINDOW_MS = 72 * 3_600_000;

/**
 * Account deletion: a soft delete at once (signed out everywhere, cannot sign in, hidden from
 * orgs), a 72-hour window to restore it, then a hard delete (the account-deletion job, or support
 * approving it early) that removes the user's rows and their sole-owned orgs with those orgs' sites
 * and ClickHouse events.
 */
@Injectable()
export class AccountDeletionService {
  constructor(
    @Inject(AccountDeletionRepository) private readonly deletions: AccountDeletionRepository,
    @Inject(SiteEventsPurgeRepository) private readonly siteEvents: SiteEventsPurgeRepository,
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(EmailTokenRepository) private readonly emailTokens: EmailTokenRepository,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @Inject(TwoFactorService) private readonly twoFactor: TwoFactorService,
    @Inject(Mailer) private readonly mailer: Mailer,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** Password (and second factor when on) confirm it; the account disappears at once. */
  async request(userId: string, body: DeleteAccountBody): Promise<{ restorableUntil: string }> {
    const user = await this.users.findById(userId);
    if (!user || user.deletedAt) throw unauthenticated();
    if (!(await this.hasher.verify(user.passwordHash, body.password)))
      throw new DomainError(403, 'wrong_password', 'The password is not correct', 'password');
    if (user.totpSecret) {
      if (!body.otp)
        throw new DomainError(403, 'otp_required', 'Enter a code from your authenticator app', 'otp');
      if (!(await this.twoFactor.verify(user, body.otp)))
        throw new DomainError(
          403,
          'invalid_otp',
          'The two-factor code is not correct or was already used',
          'otp',
        );
    }
    const now = new Date();
    const until = new Date(now.getTime() + DELETION_WINDOW_MS);
    await this.deletions.markDeleted(userId, now);
    await this.sessions.revokeAll(userId);
    await this.emailTokens.invalidate(userId, 'restore_account');
    const token = newSecretToken();
    await this.emailTokens.create({
      userId,
      purpose: 'restore_account',
      tokenHash: hashSecretToken(token),
      expiresAt: until,
    });
    const link = new URL('/restore-account', this.config.PUBLIC_APP_URL);
    link.searchParams.set('token', token);
    await this.mailer.send(mailTemplates.accountDeleted(user.email, { until, link: link.toString() }));
    return { restorableUntil: until.toISOString() };
  }

  /** Hard-deletes every account whose window is over; returns how many. Idempotent. */
  async purgeDue(now: Date = new Date()): Promise<number> {
    const due = await this.deletions.listDue(new Date(now.getTime() - DELETION_WINDOW_MS));
    for (const userId of due) await this.deletions.purge(userId);
    await this.purgePendingSiteEvents();
    return due.length;
  }

  /** Support approved the deletion before the window ended (only for accounts already marked deleted). */
  async purgeNow(userId: string): Promise<PurgedAccount> {
    if (!(await this.deletions.isMarkedDeleted(userId)))
      throw new DomainError(409, 'deletion_not_requested', 'This user has not asked to delete their account');
    const purged = await this.deletions.purge(userId);
    await this.purgePendingSiteEvents();
    return purged;
  }

  /**
   * Removes the ClickHouse events of sites queued in site_purges (one mutation per batch), then
   * the queue entries; when ClickHouse is down the queue stays and the next run retries.
   */
  async purgePendingSiteEvents(): Promise<number> {
    let total = 0;
    for (;;) {
      const siteIds = await this.deletions.listPendingSitePurges();
      if (siteIds.length === 0) return total;
      await this.siteEvents.deleteEventsOf(siteIds);
      await this.deletions.completeSitePurges(siteIds);
      total += siteIds.length;
    }
  }
}
