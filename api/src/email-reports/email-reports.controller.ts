import { Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  emailReportSettingsBody,
  type EmailReportSettings,
  type EmailReportSettingsBody,
  type UnsubscribeResult,
} from '@sightline/api-contract';
import { DomainError } from '../common/domain-error';
import { Endpoint, ValidBody } from '../common/endpoint.decorator';
import { CurrentUser, type UserPrincipal } from '../common/principal';
import { ANY_ROLE } from '../orgs/org-access.service';
import { SiteAccessService } from '../sites/site-access.service';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { PlanFeatureService } from '../billing/plan-feature.service';
import { EmailReportsService } from './email-reports.service';

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A small standalone page; `form` is trusted markup built here (its values escaped by the caller). */
function page(title: string, message: string, form = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#111827"><h1 style="font-size:1.4rem">${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${form}</body></html>`;
}

@Controller('api')
export class EmailReportsController {
  constructor(
    @Inject(EmailReportsService) private readonly reports: EmailReportsService,
    @Inject(SiteAccessService) private readonly siteAccess: SiteAccessService,
    @Inject(PlanFeatureService) private readonly features: PlanFeatureService,
  ) {}

  @Get('sites/:domain/email-reports')
  @Endpoint({
    summary: 'Your email-report settings for a site',
    response: 'EmailReportSettings',
    tag: 'sites',
  })
  async get(
    @CurrentUser() user: UserPrincipal,
    @Param('domain') domain: string,
  ): Promise<EmailReportSettings> {
    const { site } = await this.siteAccess.requireSite(user, domain, ANY_ROLE);
    return this.reports.settings(site.id, user.userId);
  }

  @Put('sites/:domain/email-reports')
  @RateLimit({ points: 30, per: 'minute', key: 'user' })
  @Endpoint({
    summary: 'Opt in or out of weekly and monthly email reports for a site (yourself only)',
    body: emailReportSettingsBody,
    response: 'EmailReportSettings',
    tag: 'sites',
  })
  async put(
    @CurrentUser() user: UserPrincipal,
    @Param('domain') domain: string,
    @ValidBody() body: EmailReportSettingsBody,
  ): Promise<EmailReportSettings> {
    const { site } = await this.siteAccess.requireSite(user, domain, ANY_ROLE);
    // Opting in needs the plan; opting out never does (nobody is kept on a mailing list).
    if (body.weekly || body.monthly) await this.features.require(site.orgId, 'email_reports');
    return this.reports.update(site.id, user.userId, body);
  }

  /**
   * The mail's one-click unsubscribe (RFC 8058 List-Unsubscribe-Post also POSTs here) and the
   * confirm page's form (`format=html`: answered with a page instead of JSON).
   */
  @Post('email-reports/unsubscribe')
  @RateLimit({ points: 30, per: 'minute', key: 'ip' })
  @HttpCode(200)
  @Endpoint({
    summary: 'Unsubscribe from a report with the signed link from the mail (works once)',
    access: 'public',
    response: 'UnsubscribeResult',
    tag: 'sites',
  })
  async unsubscribe(
    @Query('token') token: string | undefined,
    @Query('format') format: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UnsubscribeResult | string> {
    const signed = typeof token === 'string' ? token : undefined;
    if (format !== 'html') return this.reports.unsubscribe(signed);
    res.type('html');
    try {
      const result = await this.reports.unsubscribe(signed);
      return page(
        'You are unsubscribed',
        `You will no longer receive ${result.kind} reports for ${result.domain}. You can turn them back on in the site's settings.`,
      );
    } catch (err) {
      return errorPage(err, res);
    }
  }

  /**
   * The link opened in a browser: a confirm page whose button POSTs. GET never acts, because
   * mail scanners and link previews fetch every link in a mail.
   */
  @Get('email-reports/unsubscribe')
  @RateLimit({ points: 30, per: 'minute', key: 'ip' })
  @Endpoint({
    summary: 'Unsubscribe link opened in a browser: a confirm page that POSTs (HTML answer)',
    access: 'public',
    tag: 'sites',
  })
  unsubscribePage(
    @Query('token') token: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): string {
    res.type('html');
    try {
      const signed = typeof token === 'string' ? token : '';
      const { kind } = this.reports.verifyLink(signed);
      const action = `/api/email-reports/unsubscribe?token=${encodeURIComponent(signed)}&format=html`;
      return page(
        `Unsubscribe from ${kind} reports?`,
        `You will no longer receive ${kind} reports for this site. You can turn them back on in the site's settings.`,
        `<form method="post" action="${escapeHtml(action)}"><button type="submit" style="font:inherit;padding:.5rem 1rem;border-radius:.375rem;border:0;background:#1d4ed8;color:#fff;cursor:pointer">Unsubscribe</button></form>`,
      );
    } catch (err) {
      return errorPage(err, res);
    }
  }
}

function errorPage(err: unknown, res: Response): string {
  if (!(err instanceof DomainError)) throw err;
  res.status(err.status);
  return page(
    err.code === 'link_used' ? 'Already unsubscribed' : 'Invalid link',
    err.code === 'link_used'
      ? 'This link was already used. Manage your reports in the site settings.'
      : 'This unsubscribe link is not valid. Manage your reports in the site settings.',
  );
}
