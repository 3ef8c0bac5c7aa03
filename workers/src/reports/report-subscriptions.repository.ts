import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ReportKind } from './report-period';

export interface ReportSubscription {
  siteId: number;
  orgId: string;
  domain: string;
  siteName: string;
  timezone: string;
  userId: string;
  email: string;
  weeklySince: Date | null;
  monthlySince: Date | null;
  tokenVersion: number;
}

/** Who wants which report (members of the site's org only, live sites only), and what was sent. */
@Injectable()
export class ReportSubscriptionsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async activeSubscriptions(): Promise<ReportSubscription[]> {
    return (await this.dataSource.query(
      `SELECT rs.site_id AS "siteId", s.org_id AS "orgId", s.domain, s.name AS "siteName", s.timezone, rs.user_id AS "userId",
              u.email, rs.weekly_since AS "weeklySince", rs.monthly_since AS "monthlySince",
              rs.token_version AS "tokenVersion"
         FROM report_subscriptions rs
         JOIN sites s ON s.id = rs.site_id AND s.deleted_at IS NULL
         JOIN users u ON u.id = rs.user_id
         JOIN memberships m ON m.org_id = s.org_id AND m.user_id = rs.user_id
        WHERE rs.weekly_since IS NOT NULL OR rs.monthly_since IS NOT NULL
        ORDER BY rs.site_id, rs.user_id`,
    )) as ReportSubscription[];
  }

  async wasSent(siteId: number, userId: string, kind: ReportKind, periodStart: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      'SELECT 1 FROM report_deliveries WHERE site_id = $1 AND user_id = $2 AND kind = $3 AND period_start = $4',
      [siteId, userId, kind, periodStart],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Called only after the SMTP server accepted the mail. */
  async recordSent(
    siteId: number,
    userId: string,
    kind: ReportKind,
    periodStart: string,
    at: Date,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO report_deliveries (site_id, user_id, kind, period_start, sent_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [siteId, userId, kind, periodStart, at.toISOString()],
    );
  }
}
