import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReportSubscriptionEntity } from '@sightline/database';

@Injectable()
export class EmailReportRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  find(siteId: number, userId: string): Promise<ReportSubscriptionEntity | null> {
    return this.dataSource.getRepository(ReportSubscriptionEntity).findOneBy({ siteId, userId });
  }

  /** Turning a kind on keeps an existing opt-in time; turning it off clears it. */
  async save(
    siteId: number,
    userId: string,
    weekly: boolean,
    monthly: boolean,
  ): Promise<ReportSubscriptionEntity> {
    const rows = (await this.dataSource.query(
      `INSERT INTO report_subscriptions (site_id, user_id, weekly_since, monthly_since)
       VALUES ($1, $2, CASE WHEN $3 THEN now() END, CASE WHEN $4 THEN now() END)
       ON CONFLICT (site_id, user_id) DO UPDATE SET
         weekly_since = CASE WHEN $3 THEN COALESCE(report_subscriptions.weekly_since, now()) END,
         monthly_since = CASE WHEN $4 THEN COALESCE(report_subscriptions.monthly_since, now()) END,
         updated_at = now()
       RETURNING site_id`,
      [siteId, userId, weekly, monthly],
    )) as unknown[];
    if (rows.length !== 1) throw new Error('report subscription not saved');
    return (await this.find(siteId, userId)) as ReportSubscriptionEntity;
  }

  /**
   * Turns one kind off if the link's version is current, and bumps the version so the same link
   * cannot be used again. Returns the site's domain, or null when the link is stale (used before).
   */
  async unsubscribe(
    siteId: number,
    userId: string,
    kind: 'weekly' | 'monthly',
    version: number,
  ): Promise<string | null> {
    const column = kind === 'weekly' ? 'weekly_since' : 'monthly_since';
    const rows = (await this.dataSource.query(
      `UPDATE report_subscriptions rs SET ${column} = NULL, token_version = token_version + 1, updated_at = now()
         FROM sites s
        WHERE rs.site_id = $1 AND rs.user_id = $2 AND rs.token_version = $3 AND s.id = rs.site_id
        RETURNING s.domain`,
      [siteId, userId, version],
    )) as [{ domain: string }[], number] | { domain: string }[];
    const list = (Array.isArray(rows[0]) ? rows[0] : rows) as { domain: string }[];
    return list[0]?.domain ?? null;
  }
}
