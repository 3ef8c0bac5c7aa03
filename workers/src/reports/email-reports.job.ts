import { Inject, Injectable } from '@nestjs/common';
import type { WorkersConfig } from '@sightline/config';
import { signUnsubscribeToken, type Mailer } from '@sightline/mail';
import { safeError } from '@sightline/observability';
import { BillingStore } from '@sightline/billing';
import { effectivePlan, planHasFeature } from '@sightline/plans';
import { authorizeSite } from '@sightline/query';
import { HOUR, MINUTE, type JobContext, type JobResult, type ScheduledJob } from '../jobs/scheduled-job';
import { MAILER, WORKERS_CONFIG } from '../jobs/tokens';
import { lastCompletePeriod, type ReportKind, type ReportPeriod } from './report-period';
import { renderReportMail } from './report-mail';
import { ReportSubscriptionsRepository, type ReportSubscription } from './report-subscriptions.repository';
import { SiteReportService, type SiteReport } from './site-report.service';

const KINDS: ReportKind[] = ['weekly', 'monthly'];

/**
 * email-reports (hourly): for every opted-in member and site, the last complete week (Monday to
 * Sunday) and month in the site's time zone are reported once, so reports go out on Monday and on
 * the 1st local time, and a run missed during an outage catches up. A report is recorded as sent
 * only after the SMTP server accepted it; a rerun skips what was recorded. A site that cannot be
 * reported (broken time zone) is logged and skipped without stopping the others; if any mail
 * could not be sent (SMTP down), the run fails after trying the rest, and BullMQ retries it.
 * An org whose effective plan lacks `email_reports` (a downgrade) gets no reports; its members'
 * opt-ins are kept, so reports resume after an upgrade (the last complete period, if not sent yet).
 */
@Injectable()
export class EmailReportsJob implements ScheduledJob {
  readonly name = 'email-reports';
  readonly description =
    'Weekly (Monday) and monthly (1st) reports to opted-in members, in the site time zone';
  readonly schedule = { pattern: '5 * * * *' };
  readonly periodMs = HOUR;
  readonly timeoutMs = 50 * MINUTE;
  readonly attempts = 5;

  constructor(
    @Inject(ReportSubscriptionsRepository) private readonly subscriptions: ReportSubscriptionsRepository,
    @Inject(SiteReportService) private readonly reports: SiteReportService,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(WORKERS_CONFIG) private readonly config: WorkersConfig,
    @Inject(BillingStore) private readonly billing: BillingStore,
  ) {}

  async run(ctx: JobContext, now = new Date()): Promise<JobResult> {
    const built = new Map<string, Promise<SiteReport>>();
    let sent = 0;
    let alreadySent = 0;
    let skippedSites = 0;
    let failedSends = 0;
    let lastSendError: unknown;
    let notInPlan = 0;
    const planAllows = new Map<string, Promise<boolean>>();
    for (const sub of await this.subscriptions.activeSubscriptions()) {
      ctx.signal.throwIfAborted();
      let allows = planAllows.get(sub.orgId);
      if (!allows) {
        allows = this.billing
          .findProfile(sub.orgId)
          .then((profile) => planHasFeature(effectivePlan(profile, now), 'email_reports'));
        planAllows.set(sub.orgId, allows);
      }
      if (!(await allows)) {
        notInPlan++;
        continue;
      }
      for (const kind of KINDS) {
        const since = kind === 'weekly' ? sub.weeklySince : sub.monthlySince;
        if (!since) continue;
        let period: ReportPeriod;
        let site;
        try {
          period = lastCompletePeriod(kind, now, sub.timezone);
          site = authorizeSite({ id: sub.siteId, domain: sub.domain, timezone: sub.timezone });
        } catch (err) {
          skippedSites++;
          ctx.logger.warn(
            { siteId: sub.siteId, err: safeError(err) },
            'site skipped: cannot compute its report',
          );
          continue;
        }
        if (since > period.endsAt) continue; // opted in after this period ended
        if (await this.subscriptions.wasSent(sub.siteId, sub.userId, kind, period.firstDate)) {
          alreadySent++;
          continue;
        }
        // One report per (site, kind, period), shared by every member who gets it.
        const key = `${sub.siteId}:${kind}:${period.firstDate}`;
        let report = built.get(key);
        if (!report) {
          const authorized = site;
          const p = period;
          report = this.reports.build(authorized, p);
          built.set(key, report);
        }
        try {
          await this.mailer.send(
            renderReportMail({
              to: sub.email,
              siteName: sub.siteName,
              domain: sub.domain,
              report: await report,
              dashboardUrl: `${this.config.PUBLIC_APP_URL}/sites/${encodeURIComponent(sub.domain)}`,
              unsubscribeUrl: this.unsubscribeUrl(sub, kind),
            }),
          );
        } catch (err) {
          failedSends++;
          lastSendError = err;
          ctx.logger.warn(
            { siteId: sub.siteId, kind, err: safeError(err) },
            'report not sent; the job will retry',
          );
          continue;
        }
        await this.subscriptions.recordSent(sub.siteId, sub.userId, kind, period.firstDate, new Date());
        sent++;
      }
    }
    if (failedSends > 0)
      throw new Error(
        `${failedSends} report(s) not sent (${sent} sent): ${lastSendError instanceof Error ? lastSendError.message : String(lastSendError)}`,
      );
    return { sent, alreadySent, skippedSites, notInPlan, reportsBuilt: built.size };
  }

  private unsubscribeUrl(sub: ReportSubscription, kind: ReportKind): string {
    const token = signUnsubscribeToken(this.config.signingKey, {
      siteId: sub.siteId,
      userId: sub.userId,
      kind,
      version: sub.tokenVersion,
    });
    return `${this.config.PUBLIC_APP_URL}/api/email-reports/unsubscribe?token=${token}`;
  }
}
