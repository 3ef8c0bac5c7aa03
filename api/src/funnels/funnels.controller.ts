import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { funnelBody, type FunnelBody, type FunnelView } from '@sightline/api-contract';
import type { SiteEntity } from '@sightline/database';
import type { FunnelResult } from '@sightline/query';
import { StatsService } from '../stats/stats.service';
import { Endpoint, ValidBody } from '../common/endpoint.decorator';
import { ManagedSite } from '../common/managed-site.decorator';
import { CurrentPrincipal, type Principal } from '../common/principal';
import { ANY_ROLE } from '../orgs/org-access.service';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { SiteAccessService } from '../sites/site-access.service';
import { PlanFeatureService } from '../billing/plan-feature.service';
import { FunnelsService } from './funnels.service';

@Controller('api')
export class FunnelsController {
  constructor(
    @Inject(FunnelsService) private readonly funnels: FunnelsService,
    @Inject(SiteAccessService) private readonly siteAccess: SiteAccessService,
    @Inject(StatsService) private readonly stats: StatsService,
    @Inject(PlanFeatureService) private readonly features: PlanFeatureService,
  ) {}

  @Get('sites/:domain/funnels')
  @RateLimit({ points: 120, per: 'minute', key: 'user' })
  @Endpoint({
    summary: "The site's funnels (steps in order)",
    access: 'session-or-api-key',
    response: 'FunnelView[]',
    tag: 'funnels',
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('domain') domain: string,
  ): Promise<FunnelView[]> {
    const { site } = await this.siteAccess.requireSite(principal, domain, ANY_ROLE);
    return this.funnels.list(site.id);
  }

  @Post('sites/:domain/funnels')
  @RateLimit({ points: 30, per: 'minute', key: 'user' })
  @Endpoint({
    summary: 'Add a funnel: a name and 2–8 steps (page path patterns or custom event names)',
    body: funnelBody,
    response: 'FunnelView',
    tag: 'funnels',
  })
  async create(@ManagedSite() site: SiteEntity, @ValidBody() body: FunnelBody): Promise<FunnelView> {
    await this.features.require(site.orgId, 'funnels');
    return this.funnels.create(site.id, body);
  }

  @Put('sites/:domain/funnels/:id')
  @RateLimit({ points: 30, per: 'minute', key: 'user' })
  @Endpoint({
    summary: "Replace a funnel's name and steps",
    body: funnelBody,
    response: 'FunnelView',
    tag: 'funnels',
  })
  async update(
    @ManagedSite() site: SiteEntity,
    @Param('id') id: string,
    @ValidBody() body: FunnelBody,
  ): Promise<FunnelView> {
    await this.features.require(site.orgId, 'funnels');
    return this.funnels.update(site.id, id, body);
  }

  @Delete('sites/:domain/funnels/:id')
  @HttpCode(204)
  @RateLimit({ points: 30, per: 'minute', key: 'user' })
  @Endpoint({ summary: 'Delete a funnel', tag: 'funnels' })
  async delete(@ManagedSite() site: SiteEntity, @Param('id') id: string): Promise<void> {
    await this.funnels.delete(site.id, id);
  }

  /** Body: `{ date_range?, filters? }` as in POST /api/v2/query (default 30d, no filters). */
  @Post('sites/:domain/funnels/:id/query')
  @HttpCode(200)
  @RateLimit({ points: 300, per: 'minute', key: 'user' })
  @Endpoint({
    summary: 'Visitors, conversion and drop-off per step over a period, with Stats API v2 filters',
    access: 'session-or-api-key',
    response: 'FunnelResult',
    tag: 'funnels',
  })
  async query(
    @CurrentPrincipal() principal: Principal,
    @Param('domain') domain: string,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<FunnelResult> {
    const { site, authorized } = await this.siteAccess.requireSite(principal, domain, ANY_ROLE);
    await this.stats.requireOpen(site.orgId);
    // After a downgrade funnels stay stored (listable, deletable) but are not computed.
    await this.features.require(site.orgId, 'funnels');
    return this.funnels.query(authorized, id, body);
  }
}
