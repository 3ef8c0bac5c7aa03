import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { parseCookie } from 'cookie';
import {
  createSharedLinkBody,
  sharedLinkPasswordBody,
  type CreateSharedLinkBody,
  type FunnelView,
  type RealtimeVisitors,
  type SharedDashboardView,
  type SharedLinkPasswordBody,
  type SharedLinkView,
} from '@sightline/api-contract';
import type { ApiConfig } from '@sightline/config';
import {
  propertyKeysRequestSchema,
  queryRequestSchema,
  vitalsRequestSchema,
  type FunnelResult,
  type PropertyKeysResponse,
  type QueryResponse,
  type VitalsResponse,
} from '@sightline/query';
import type { SiteEntity } from '@sightline/database';
import { Endpoint, ValidBody } from '../common/endpoint.decorator';
import { ManagedSite } from '../common/managed-site.decorator';
import { CurrentUser, type UserPrincipal } from '../common/principal';
import { API_CONFIG } from '../common/tokens';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { PlanFeatureService } from '../billing/plan-feature.service';
import { SHARE_COOKIE, SHARE_PASSWORD_TTL_SECONDS, SharedLinksService } from './shared-links.service';

function shareCookie(req: Request): string | undefined {
  try {
    return req.headers.cookie ? parseCookie(req.headers.cookie)[SHARE_COOKIE] : undefined;
  } catch {
    return undefined;
  }
}

/** Owners and admins manage a site's shared dashboard links. */
@Controller('api/sites/:domain/shared-links')
export class SharedLinksController {
  constructor(
    @Inject(SharedLinksService) private readonly links: SharedLinksService,
    @Inject(PlanFeatureService) private readonly features: PlanFeatureService,
  ) {}

  @Get()
  @Endpoint({ summary: "The site's shared dashboard links", response: 'SharedLinkView[]', tag: 'sites' })
  list(@ManagedSite() site: SiteEntity): Promise<SharedLinkView[]> {
    return this.links.list(site);
  }

  @Post()
  @RateLimit({ points: 20, per: 'minute', key: 'user' })
  @Endpoint({
    summary: 'Create a read-only link to the dashboard (optional password and expiry)',
    body: createSharedLinkBody,
    response: 'SharedLinkView',
    tag: 'sites',
  })
  async create(
    @CurrentUser() user: UserPrincipal,
    @ManagedSite() site: SiteEntity,
    @ValidBody() body: CreateSharedLinkBody,
  ): Promise<SharedLinkView> {
    await this.features.require(site.orgId, 'shared_links');
    return this.links.create(site, user.userId, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @RateLimit({ points: 30, per: 'minute', key: 'user' })
  @Endpoint({ summary: 'Revoke a shared dashboard link', tag: 'sites' })
  async revoke(@ManagedSite() site: SiteEntity, @Param('id') id: string): Promise<void> {
    await this.links.revoke(site, id);
  }
}

/**
 * The shared dashboard's own routes, authenticated by the link's token (and the password cookie):
 * they read the one shared site's stats and nothing else, one route per member route the site
 * dashboard's panels use (query, property keys, vitals, funnels, realtime), all read-only. Every answer carries
 * `X-Robots-Tag: noindex` (create-api).
 */
@Controller('api/share/:token')
export class SharedDashboardController {
  constructor(
    @Inject(SharedLinksService) private readonly links: SharedLinksService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Get()
  @RateLimit({ points: 60, per: 'minute', key: 'ip' })
  @Endpoint({
    summary: 'The shared site (401 password_required until its password was entered)',
    access: 'public',
    response: 'SharedDashboardView',
    tag: 'stats',
  })
  open(@Param('token') token: string, @Req() req: Request): Promise<SharedDashboardView> {
    return this.links.open(token, shareCookie(req));
  }

  @Post('password')
  @HttpCode(204)
  // Guessing passwords: few tries per address (argon2id makes each one slow as well).
  @RateLimit({ points: 10, per: 'minute', key: 'ip' })
  @Endpoint({
    summary: "Enter a shared dashboard's password; sets a cookie for this link (12 h)",
    access: 'public',
    body: sharedLinkPasswordBody,
    tag: 'stats',
  })
  async password(
    @Param('token') token: string,
    @ValidBody() body: SharedLinkPasswordBody,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const value = await this.links.enterPassword(token, body.password);
    res.cookie(SHARE_COOKIE, value, {
      httpOnly: true,
      secure: this.config.sessionCookieSecure,
      sameSite: 'lax',
      path: `/api/share/${token}`,
      maxAge: SHARE_PASSWORD_TTL_SECONDS * 1000,
    });
  }

  @Post('query')
  @HttpCode(200)
  @RateLimit({ points: 300, per: 'minute', key: 'ip' })
  @Endpoint({
    summary: 'Stats API v2 query on the shared site only (another site_id answers 404)',
    access: 'public',
    body: queryRequestSchema,
    response: 'QueryResponse',
    tag: 'stats',
  })
  query(@Param('token') token: string, @Req() req: Request): Promise<QueryResponse> {
    return this.links.query(token, shareCookie(req), req.body);
  }

  @Get('realtime')
  @RateLimit({ points: 60, per: 'minute', key: 'ip' })
  @Endpoint({
    summary: 'Visitors in the last 5 minutes on the shared site',
    access: 'public',
    response: 'RealtimeVisitors',
    tag: 'stats',
  })
  realtime(@Param('token') token: string, @Req() req: Request): Promise<RealtimeVisitors> {
    return this.links.realtime(token, shareCookie(req));
  }

  @Post('property-keys')
  @HttpCode(200)
  @RateLimit({ points: 300, per: 'minute', key: 'ip' })
  @Endpoint({
    summary: 'Custom property keys of a period on the shared site only (Goals › Properties)',
    access: 'public',
    body: propertyKeysRequestSchema,
    response: 'PropertyKeysResponse',
    tag: 'stats',
  })
  propertyKeys(@Param('token') token: string, @Req() req: Request): Promise<PropertyKeysResponse> {
    return this.links.propertyKeys(token, shareCookie(req), req.body);
  }

  @Post('vitals')
  @HttpCode(200)
  @RateLimit({ points: 300, per: 'minute', key: 'ip' })
  @Endpoint({
    summary: 'Web vitals of the shared site only (the Performance panel)',
    access: 'public',
    body: vitalsRequestSchema,
    response: 'VitalsResponse',
    tag: 'stats',
  })
  vitals(@Param('token') token: string, @Req() req: Request): Promise<VitalsResponse> {
    return this.links.vitals(token, shareCookie(req), req.body);
  }

  @Get('funnels')
  @RateLimit({ points: 120, per: 'minute', key: 'ip' })
  @Endpoint({
    summary: "The shared site's funnels (read-only)",
    access: 'public',
    response: 'FunnelView[]',
    tag: 'stats',
  })
  funnels(@Param('token') token: string, @Req() req: Request): Promise<FunnelView[]> {
    return this.links.funnels(token, shareCookie(req));
  }

  /** Body: `{ date_range?, filters? }` as in the members' funnel query. */
  @Post('funnels/:id/query')
  @HttpCode(200)
  @RateLimit({ points: 300, per: 'minute', key: 'ip' })
  @Endpoint({
    summary: "One of the shared site's funnels over a period (another site's funnel answers 404)",
    access: 'public',
    response: 'FunnelResult',
    tag: 'stats',
  })
  funnel(@Param('token') token: string, @Param('id') id: string, @Req() req: Request): Promise<FunnelResult> {
    return this.links.funnel(token, shareCookie(req), id, req.body);
  }
}
