import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type {
  CreateSharedLinkBody,
  FunnelView,
  RealtimeVisitors,
  SharedDashboardView,
  SharedLinkView,
} from '@sightline/api-contract';
import type { ApiConfig } from '@sightline/config';
import {
  sharedLinkToken,
  sharedLinkTokenHash,
  type SharedLinkEntity,
  type SiteEntity,
} from '@sightline/database';
import type {
  AuthorizedSite,
  FunnelResult,
  PropertyKeysResponse,
  QueryResponse,
  VitalsResponse,
} from '@sightline/query';
import { PasswordHasher } from '../auth/password-hasher';
import { DomainError, invalid, notFound } from '../common/domain-error';
import { API_CONFIG } from '../common/tokens';
import { SiteAccessService } from '../sites/site-access.service';
import { PlanFeatureService } from '../billing/plan-feature.service';
import { FunnelsService } from '../funnels/funnels.service';
import { StatsService } from '../stats/stats.service';
import { VitalsService } from '../stats/vitals.service';
import { SharedLinkRepository } from './shared-link.repository';

/** A visitor who entered the password keeps access this long in that browser. */
export const SHARE_PASSWORD_TTL_SECONDS = 12 * 3600;
/** The cookie the password form sets; its path is the link's own /api/share/<token>. */
export const SHARE_COOKIE = 'sl_share';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const linkNotFound = () => notFound('Shared link');

/**
 * Shared dashboards: owners and admins create, list and revoke read-only links to one site; a
 * link's holder reads that site's stats (Stats API v2 queries, property keys, web vitals, funnels
 * and the realtime count, everything the site dashboard shows) and nothing else. The token is an HMAC of the link id under the signing key (only its SHA-256 is stored,
 * and the owner's list can show the link again); a password is checked once and remembered in
 * a signed cookie scoped to the link's path.
 */
@Injectable()
export class SharedLinksService {
  constructor(
    @Inject(SharedLinkRepository) private readonly links: SharedLinkRepository,
    @Inject(SiteAccessService) private readonly siteAccess: SiteAccessService,
    @Inject(StatsService) private readonly stats: StatsService,
    @Inject(VitalsService) private readonly vitalsService: VitalsService,
    @Inject(FunnelsService) private readonly funnelsService: FunnelsService,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @Inject(PlanFeatureService) private readonly features: PlanFeatureService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async create(
    site: SiteEntity,
    userId: string,
    body: CreateSharedLinkBody,
    now = new Date(),
  ): Promise<SharedLinkView> {
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= now.getTime())
      throw invalid('expiresAt', 'must be in the future');
    const link = await this.links.create(
      {
        siteId: site.id,
        label: body.label ?? 'Shared link',
        passwordHash: body.password ? await this.hasher.hash(body.password) : null,
        expiresAt,
        createdBy: userId,
      },
      (id) => sharedLinkTokenHash(this.tokenOf(id)),
    );
    return this.view(link, now);
  }

  async list(site: SiteEntity, now = new Date()): Promise<SharedLinkView[]> {
    return (await this.links.listForSite(site.id)).map((l) => this.view(l, now));
  }

  async revoke(site: SiteEntity, id: string): Promise<void> {
    if (!/^[0-9a-f-]{36}$/i.test(id) || !(await this.links.revoke(site.id, id))) throw linkNotFound();
  }

  /** The shared site's description; 401 `password_required` until the password was entered. */
  async open(token: string, cookie: string | undefined): Promise<SharedDashboardView> {
    const { site } = await this.access(token, cookie);
    return {
      domain: site.domain,
      name: site.name,
      timezone: site.timezone,
      currency: site.currency,
      createdAt: site.createdAt.toISOString(),
    };
  }

  /** Checks the password; answers the cookie value that proves it for SHARE_PASSWORD_TTL_SECONDS. */
  async enterPassword(token: string, password: string, now = Date.now()): Promise<string> {
    const link = await this.findLive(token);
    if (!link.passwordHash) throw invalid('password', 'this link has no password');
    if (!(await this.hasher.verify(link.passwordHash, password)))
      throw new DomainError(401, 'wrong_password', 'The password is not correct');
    const expires = Math.floor(now / 1000) + SHARE_PASSWORD_TTL_SECONDS;
    return `${expires}.${this.passwordProof(link, expires)}`;
  }

  /** A Stats API v2 query on the shared site only: any other `site_id` is a 404, like a missing site. */
  async query(token: string, cookie: string | undefined, body: unknown): Promise<QueryResponse> {
    const { site, authorized } = await this.bodyAccess(token, cookie, body);
    return this.stats.queryAuthorized(site, authorized, body);
  }

  /** The Goals › Properties panel's keys, on the shared site only (as `query`). */
  async propertyKeys(
    token: string,
    cookie: string | undefined,
    body: unknown,
  ): Promise<PropertyKeysResponse> {
    const { site, authorized } = await this.bodyAccess(token, cookie, body);
    return this.stats.propertyKeysAuthorized(site, authorized, body);
  }

  /** The Performance panel's web vitals, on the shared site only (as `query`). */
  async vitals(token: string, cookie: string | undefined, body: unknown): Promise<VitalsResponse> {
    const { site, authorized } = await this.bodyAccess(token, cookie, body);
    return this.vitalsService.vitalsAuthorized(site, authorized, body);
  }

  /** The shared site's funnels, to pick one in the Funnels panel (read-only: editing stays with members). */
  async funnels(token: string, cookie: string | undefined): Promise<FunnelView[]> {
    const { site } = await this.access(token, cookie);
    return this.funnelsService.list(site.id);
  }

  /** One funnel of the shared site over a period; another site's funnel id is a 404. */
  async funnel(token: string, cookie: string | undefined, id: string, body: unknown): Promise<FunnelResult> {
    const { site, authorized } = await this.access(token, cookie);
    await this.stats.requireOpen(site.orgId);
    await this.features.require(site.orgId, 'funnels');
    return this.funnelsService.query(authorized, id, body);
  }

  async realtime(token: string, cookie: string | undefined): Promise<RealtimeVisitors> {
    const { site, authorized } = await this.access(token, cookie);
    await this.stats.requireOpen(site.orgId);
    return { visitors: await this.stats.currentVisitors(authorized) };
  }

  /** `access`, and the body's `site_id` must be the shared site's domain (anything else: 404). */
  private async bodyAccess(
    token: string,
    cookie: string | undefined,
    body: unknown,
  ): Promise<{ site: SiteEntity; authorized: AuthorizedSite }> {
    const granted = await this.access(token, cookie);
    const siteId =
      typeof body === 'object' && body !== null ? (body as { site_id?: unknown }).site_id : undefined;
    if (typeof siteId !== 'string' || siteId.toLowerCase() !== granted.site.domain) throw notFound('Site');
    return granted;
  }

  /** Token, link, expiry, revocation and password checks; then the site, authorized for reads. */
  private async access(
    token: string,
    cookie: string | undefined,
  ): Promise<{ site: SiteEntity; authorized: AuthorizedSite }> {
    const link = await this.findLive(token);
    if (link.passwordHash && !this.validProof(link, cookie))
      throw new DomainError(401, 'password_required', 'This shared dashboard needs its password');
    const site = link.site as SiteEntity;
    return { site, authorized: this.siteAccess.authorizeSharedSite(site) };
  }

  /**
   * The link behind a token, unless unknown, revoked, expired or its site deleted (all 404), or
   * its org's plan no longer has shared links (402 `feature_not_in_plan`: the link is kept and
   * serves again after an upgrade).
   */
  private async findLive(token: string, now = new Date()): Promise<SharedLinkEntity> {
    if (!TOKEN.test(token)) throw linkNotFound();
    const link = await this.links.findByTokenHash(sharedLinkTokenHash(token));
    if (!link?.site || link.site.deletedAt || link.revokedAt) throw linkNotFound();
    if (link.expiresAt && link.expiresAt.getTime() <= now.getTime()) throw linkNotFound();
    // Visitors are not the customer: the plan is not named to them.
    if (!(await this.features.has(link.site.orgId, 'shared_links', now)))
      throw new DomainError(
        402,
        'feature_not_in_plan',
        "This shared dashboard is paused: its owner's plan does not include shared links.",
      );
    return link;
  }

  private tokenOf(linkId: string): string {
    return sharedLinkToken(this.config.signingKey, linkId);
  }

  /** Bound to the link and its password hash, so a revoked link's or another link's cookie never works. */
  private passwordProof(link: SharedLinkEntity, expires: number): string {
    return createHmac('sha256', this.config.signingKey)
      .update(`shared-link-password:${link.id}:${link.passwordHash ?? ''}:${expires}`)
      .digest('base64url');
  }

  private validProof(link: SharedLinkEntity, cookie: string | undefined, now = Date.now()): boolean {
    const [expiresText, proof] = (cookie ?? '').split('.');
    const expires = Number(expiresText);
    if (!proof || !Number.isSafeInteger(expires) || expires * 1000 <= now) return false;
    const expected = Buffer.from(this.passwordProof(link, expires));
    const given = Buffer.from(proof);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private view(link: SharedLinkEntity, now: Date): SharedLinkView {
    const expired = !!link.expiresAt && link.expiresAt.getTime() <= now.getTime();
    return {
      id: link.id,
      label: link.label,
      url: new URL(`/share/${this.tokenOf(link.id)}`, this.config.PUBLIC_APP_URL).toString(),
      hasPassword: !!link.passwordHash,
      expiresAt: link.expiresAt?.toISOString() ?? null,
      revokedAt: link.revokedAt?.toISOString() ?? null,
      createdAt: link.createdAt.toISOString(),
      active: !link.revokedAt && !expired,
    };
  }
}
