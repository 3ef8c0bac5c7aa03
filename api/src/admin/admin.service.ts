import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type {
  AdminAuditEntry,
  AdminOrgDetail,
  AdminSearchResult,
  AdminUserDetail,
  AnnouncementView,
  CreateAnnouncementBody,
} from '@sightline/api-contract';
import { Mailer } from '@sightline/mail';
import { AccountDeletionService } from '../account-deletion/account-deletion.service';
import { SessionService } from '../auth/session.service';
import { BillingService } from '../billing/billing.service';
import { UserRepository } from '../auth/user.repository';
import { DomainError, invalid, notFound } from '../common/domain-error';
import { LOGGER } from '../common/tokens';
import { mailTemplates } from '../mail/mail-templates';
import { isUuid } from '../orgs/org-access.service';
import { AdminAuditRepository } from './admin-audit.repository';
import { AdminRepository } from './admin.repository';
import { AnnouncementRepository } from './announcement.repository';

/**
 * What support staff can see and do. Every action is written to the audit log (who, what,
 * target, when, reason) before this returns.
 */
@Injectable()
export class AdminService {
  constructor(
    @Inject(AdminRepository) private readonly admin: AdminRepository,
    @Inject(AdminAuditRepository) private readonly audit: AdminAuditRepository,
    @Inject(AnnouncementRepository) private readonly announcements: AnnouncementRepository,
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(AccountDeletionService) private readonly deletions: AccountDeletionService,
    @Inject(BillingService) private readonly billing: BillingService,
    @Inject(Mailer) private readonly mailer: Mailer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async search(query: string): Promise<AdminSearchResult> {
    const q = query.trim();
    if (q.length < 2 || q.length > 200) throw invalid('q', 'search for 2 to 200 characters');
    const [users, orgs] = await Promise.all([this.admin.searchUsers(q), this.admin.searchOrgs(q)]);
    return { users, orgs };
  }

  async org(orgId: string): Promise<AdminOrgDetail> {
    const org = isUuid(orgId) ? await this.admin.orgDetail(orgId) : null;
    if (!org) throw notFound('Org');
    return { ...org, billing: await this.billing.view(orgId) };
  }

  /** Support: more days of grace for an org over its quota (409 when it is not in grace). */
  async extendGrace(staffId: string, orgId: string, days: number, reason: string): Promise<AdminOrgDetail> {
    await this.org(orgId);
    await this.billing.extendGrace(orgId, days);
    await this.record(staffId, {
      action: 'org.grace_extended',
      targetType: 'org',
      targetId: orgId,
      reason,
      details: { days },
    });
    return this.org(orgId);
  }

  /** Support: unlock a locked org's stats now, with `days` of grace before the quota may lock them again. */
  async unlockStats(staffId: string, orgId: string, days: number, reason: string): Promise<AdminOrgDetail> {
    const before = await this.org(orgId);
    if (before.billing.quota.state === 'ok')
      throw new DomainError(
        409,
        'not_over_quota',
        'This org is within its quota; there is nothing to unlock',
      );
    await this.billing.unlockQuota(orgId, days);
    await this.record(staffId, {
      action: 'org.stats_unlocked',
      targetType: 'org',
      targetId: orgId,
      reason,
      details: { days },
    });
    return this.org(orgId);
  }

  /** Support: the org's next plan change may skip the "recent usage must fit" check, once. */
  async allowPlanChange(staffId: string, orgId: string, reason: string): Promise<AdminOrgDetail> {
    await this.org(orgId);
    await this.billing.allowPlanChangeOverride(orgId);
    await this.record(staffId, {
      action: 'org.plan_check_waived',
      targetType: 'org',
      targetId: orgId,
      reason,
    });
    return this.org(orgId);
  }

  async user(userId: string): Promise<AdminUserDetail> {
    const user = isUuid(userId) ? await this.admin.userDetail(userId) : null;
    if (!user) throw notFound('User');
    return user;
  }

  /** Blocked: every session ends and sign-in is refused; their orgs' sites keep counting. */
  async block(staffId: string, userId: string, reason: string): Promise<AdminUserDetail> {
    const target = await this.user(userId);
    if (target.id === staffId) throw new DomainError(409, 'cannot_block_self', 'You cannot block yourself');
    await this.admin.setBlocked(userId, { at: new Date(), reason });
    await this.sessions.revokeAll(userId);
    await this.record(staffId, { action: 'user.block', targetType: 'user', targetId: userId, reason });
    return this.user(userId);
  }

  async unblock(staffId: string, userId: string, reason: string): Promise<AdminUserDetail> {
    await this.user(userId);
    await this.admin.setBlocked(userId, null);
    await this.record(staffId, { action: 'user.unblock', targetType: 'user', targetId: userId, reason });
    return this.user(userId);
  }

  /** An account whose owner asked for deletion is deleted at the job's next run, not after 72 hours. */
  async approveDeletion(staffId: string, userId: string, reason: string): Promise<{ deletedBy: string }> {
    await this.user(userId);
    const result = await this.deletions.approveEarly(userId);
    await this.record(staffId, {
      action: 'user.deletion_approved',
      targetType: 'user',
      targetId: userId,
      reason,
    });
    return result;
  }

  async announce(staffId: string, body: CreateAnnouncementBody): Promise<AnnouncementView> {
    const expiresAt = new Date(body.expiresAt);
    if (expiresAt.getTime() <= Date.now()) throw invalid('expiresAt', 'must be in the future');
    if (body.orgId && !(await this.announcements.orgExists(body.orgId))) throw notFound('Org');
    const created = await this.announcements.create({
      message: body.message,
      orgId: body.orgId ?? null,
      expiresAt,
    });
    await this.record(staffId, {
      action: 'announcement.create',
      targetType: body.orgId ? 'org' : 'announcement',
      targetId: body.orgId ?? created.id,
      reason: body.reason ?? null,
      details: { announcementId: created.id, mail: body.mail, expiresAt: created.expiresAt },
    });
    if (body.mail) {
      const recipients = await this.announcements.recipients(created.orgId);
      for (const to of recipients) await this.mailer.send(mailTemplates.announcement(to, created.message));
      const at = new Date();
      await this.announcements.markMailed(created.id, at);
      this.logger.info({ announcementId: created.id, recipients: recipients.length }, 'announcement mailed');
      return { ...created, mailedAt: at.toISOString() };
    }
    return created;
  }

  listAnnouncements(): Promise<AnnouncementView[]> {
    return this.announcements.listRecent(50);
  }

  auditLog(opts: { beforeId?: string; targetId?: string }): Promise<AdminAuditEntry[]> {
    if (opts.beforeId !== undefined && !/^\d{1,18}$/.test(opts.beforeId))
      throw invalid('before', 'must be an entry id');
    if (opts.targetId !== undefined && opts.targetId.length > 100) throw invalid('target', 'is too long');
    return this.audit.list({ limit: 100, ...opts });
  }

  private async record(
    staffId: string,
    entry: {
      action: string;
      targetType: 'user' | 'org' | 'announcement';
      targetId: string;
      reason: string | null;
      details?: Record<string, unknown>;
    },
  ): Promise<void> {
    const staff = await this.users.findById(staffId);
    await this.audit.append({ ...entry, actorId: staffId, actorEmail: staff?.email ?? 'unknown' });
  }
}
