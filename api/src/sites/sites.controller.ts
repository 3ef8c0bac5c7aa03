import { Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import {
  createSiteBody,
  updateSiteBody,
  type CreateSiteBody,
  type RealtimeVisitors,
  type SiteStatus,
  type SiteView,
  type UpdateSiteBody,
} from '@sightline/api-contract';
import type { SiteEntity } from '@sightline/database';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { Endpoint, ValidBody } from '../common/endpoint.decorator';
import { ManagedSite } from '../common/managed-site.decorator';
import { CurrentPrincipal, CurrentUser, type Principal, type UserPrincipal } from '../common/principal';
import { ANY_ROLE, MANAGERS, OrgAccessService } from '../orgs/org-access.service';
import { StatsService } from '../stats/stats.service';
import { SiteAccessService } from './site-access.service';
import { SitesService } from './sites.service';

@Controller('api')
export class SitesController {
  constructor(
    @Inject(SitesService) private readonly sites: SitesService,
    @Inject(SiteAccessService) private readonly siteAccess: SiteAccessService,
    @Inject(OrgAccessService) private readonly orgAccess: OrgAccessService,
    @Inject(StatsService) private readonly stats: StatsService,
  ) {}

  @Get('orgs/:orgId/sites')
  @Endpoint({ summary: "The org's sites", response: 'SiteView[]', tag: 'sites' })
  async list(@CurrentUser() user: UserPrincipal, @Param('orgId') orgId: string): Promise<SiteView[]> {
    await this.orgAccess.requireRole(user, orgId, ANY_ROLE);
    return this.sites.list(orgId);
  }

  @Post('orgs/:orgId/sites')
  @RateLimit({ points: 30, per: 'hour', key: 'user' }, { points: 20, per: 'hour', key: 'org' })
  @Endpoint({
    summary: 'Add a site (the domain is normalised and must be unique)',
    body: createSiteBody,

    response: 'SiteView',
    tag: 'sites',
  })
  async create(
    @CurrentUser() user: UserPrincipal,
    @Param('orgId') orgId: string,
    @ValidBody() body: CreateSiteBody,
  ): Promise<SiteView> {
    await this.orgAccess.requireRole(user, orgId, MANAGERS);
    return this.sites.create(orgId, body);
  }

  @Get('sites/:domain')
  @Endpoint({ summary: 'One site, with its snippet', response: 'SiteView', tag: 'sites' })
  async get(@CurrentUser() user: UserPrincipal, @Param('domain') domain: string): Promise<SiteView> {
    const { site } = await this.siteAccess.requireSite(user, domain, ANY_ROLE);
    return this.sites.toView(site);
  }

  @Patch('sites/:domain')
  @RateLimit({ points: 30, per: 'minute', key: 'user' })
  @Endpoint({
    summary: 'Change name, timezone, allowed hostnames or revenue currency',
    body: updateSiteBody,
    response: 'SiteView',
    tag: 'sites',
  })
  update(@ManagedSite() site: SiteEntity, @ValidBody() body: UpdateSiteBody): Promise<SiteView> {
    return this.sites.update(site, body);
  }

  @Delete('sites/:domain')
  @HttpCode(204)
  @RateLimit({ points: 30, per: 'hour', key: 'user' }, { points: 20, per: 'hour', key: 'org' })
  @Endpoint({ summary: 'Delete a site and its stats', tag: 'sites' })
  async delete(@ManagedSite() site: SiteEntity): Promise<void> {
    await this.sites.delete(site);
  }

  @Get('sites/:domain/status')
  @RateLimit({ points: 60, per: 'minute', key: 'user' })
  @Endpoint({
    summary: 'Whether the site has received events yet (add-site flow)',
    access: 'session-or-api-key',
    response: 'SiteStatus',
    tag: 'sites',
  })
  async status(
    @CurrentPrincipal() principal: Principal,
    @Param('domain') domain: string,
  ): Promise<SiteStatus> {
    const { authorized } = await this.siteAccess.requireSite(principal, domain, ANY_ROLE);
    return this.stats.status(authorized);
  }

  @Get('sites/:domain/realtime')
  @RateLimit({ points: 60, per: 'minute', key: 'user' })
  @Endpoint({
    summary: 'Visitors in the last 5 minutes',
    access: 'session-or-api-key',
    response: 'RealtimeVisitors',
    tag: 'stats',
  })
  async realtime(
    @CurrentPrincipal() principal: Principal,
    @Param('domain') domain: string,
  ): Promise<RealtimeVisitors> {
    const { site, authorized } = await this.siteAccess.requireSite(principal, domain, ANY_ROLE);
    await this.stats.requireOpen(site.orgId);
    return { visitors: await this.stats.currentVisitors(authorized) };
  }
}
