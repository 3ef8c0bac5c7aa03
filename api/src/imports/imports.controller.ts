import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { SiteImportView } from '@sightline/api-contract';
import { Endpoint } from '../common/endpoint.decorator';
import { CurrentUser, type UserPrincipal } from '../common/principal';
import { MANAGERS } from '../orgs/org-access.service';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { SiteAccessService } from '../sites/site-access.service';
import { ImportsService } from './imports.service';

/** A site's imports of Plausible / Umami history (owners and admins). */
@Controller('api/sites/:domain/imports')
export class ImportsController {
  constructor(
    @Inject(ImportsService) private readonly imports: ImportsService,
    @Inject(SiteAccessService) private readonly siteAccess: SiteAccessService,
  ) {}

  @Get()
  @RateLimit({ points: 120, per: 'minute', key: 'user' })
  @Endpoint({
    summary: "The site's imports with their progress",
    response: 'SiteImportView[]',
    tag: 'imports',
  })
  async list(@CurrentUser() user: UserPrincipal, @Param('domain') domain: string): Promise<SiteImportView[]> {
    const { site } = await this.siteAccess.requireSite(user, domain, MANAGERS);
    return this.imports.list(site);
  }

  @Post()
  @HttpCode(202)
  @RateLimit({ points: 10, per: 'hour', key: 'user' }, { points: 20, per: 'hour', key: 'org' })
  @Endpoint({
    summary:
      'Upload a Plausible CSV export zip or an Umami data export (raw body, ?source=plausible|umami&filename=); imported by a worker',
    response: 'SiteImportView',
    tag: 'imports',
  })
  async upload(
    @CurrentUser() user: UserPrincipal,
    @Param('domain') domain: string,
    @Query('source') source: unknown,
    @Query('filename') filename: unknown,
    @Req() req: { body?: unknown },
  ): Promise<SiteImportView> {
    const { site } = await this.siteAccess.requireSite(user, domain, MANAGERS);
    return this.imports.upload(site, user.userId, { source, filename }, req.body);
  }

  @Delete(':id')
  @HttpCode(204)
  @RateLimit({ points: 30, per: 'hour', key: 'user' })
  @Endpoint({ summary: 'Delete an import and its imported data', tag: 'imports' })
  async remove(
    @CurrentUser() user: UserPrincipal,
    @Param('domain') domain: string,
    @Param('id') id: string,
  ): Promise<void> {
    const { site } = await this.siteAccess.requireSite(user, domain, MANAGERS);
    await this.imports.remove(site, id);
  }
}
