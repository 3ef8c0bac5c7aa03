import { Inject, Injectable } from '@nestjs/common';
import type { EmailReportSettings, UnsubscribeResult } from '@sightline/api-contract';
import type { ApiConfig } from '@sightline/config';
import { verifyUnsubscribeToken } from '@sightline/mail';
import { DomainError } from '../common/domain-error';
import { API_CONFIG } from '../common/tokens';
import { EmailReportRepository } from './email-report.repository';

@Injectable()
export class EmailReportsService {
  constructor(
    @Inject(EmailReportRepository) private readonly reports: EmailReportRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async settings(siteId: number, userId: string): Promise<EmailReportSettings> {
    const row = await this.reports.find(siteId, userId);
    return { weekly: Boolean(row?.weeklySince), monthly: Boolean(row?.monthlySince) };
  }

  async update(siteId: number, userId: string, body: EmailReportSettings): Promise<EmailReportSettings> {
    const row = await this.reports.save(siteId, userId, body.weekly, body.monthly);
    return { weekly: Boolean(row.weeklySince), monthly: Boolean(row.monthlySince) };
  }

  /** Checks the signed token without acting (the confirm page); 400 for a missing or tampered one. */
  verifyLink(token: string | undefined): { kind: 'weekly' | 'monthly' } {
    const payload = token ? verifyUnsubscribeToken(this.config.signingKey, token) : null;
    if (!payload) throw new DomainError(400, 'invalid_token', 'This unsubscribe link is not valid');
    return { kind: payload.kind };
  }

  /** 400 for a missing or tampered token, 410 for a link that was already used (or superseded). */
  async unsubscribe(token: string | undefined): Promise<UnsubscribeResult> {
    const payload = token ? verifyUnsubscribeToken(this.config.signingKey, token) : null;
    if (!payload) throw new DomainError(400, 'invalid_token', 'This unsubscribe link is not valid');
    const domain = await this.reports.unsubscribe(
      payload.siteId,
      payload.userId,
      payload.kind,
      payload.version,
    );
    if (!domain) throw new DomainError(410, 'link_used', 'This unsubscribe link was already used');
    return { unsubscribed: true, domain, kind: payload.kind };
  }
}
