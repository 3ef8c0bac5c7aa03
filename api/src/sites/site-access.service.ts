import { Inject, Injectable } from '@nestjs/common';
import type { OrgRole } from '@sightline/api-contract';
import { normalizeDomain } from '@sightline/events';
import { authorizeSite, type AuthorizedSite } from '@sightline/query';
import { invalid, notFound } from '../common/domain-error';
import type { Principal } from '../common/principal';
import { ANY_ROLE, OrgAccessService } from '../orgs/org-access.service';
import type { SiteEntity } from '@sightline/database';
import { SiteRepository } from './site.repository';

/**
 * The access guard for site-scoped routes, and the only producer of `AuthorizedSite`, which the
 * query engine requires. A site outside the caller's orgs answers 404, like a missing one.
 */
@Injectable()
export class SiteAccessService {
  constructor(
    @Inject(SiteRepository) private readonly sites: SiteRepository,
    @Inject(OrgAccessService) private readonly orgAccess: OrgAccessService,
  ) {}

  async requireSite(
    principal: Principal,
    domainParam: string,
    roles: readonly OrgRole[],
  ): Promise<{ site: SiteEntity; authorized: AuthorizedSite }> {
    const domain = normalizeDomain(domainParam);
    const site = domain ? await this.sites.findByDomain(domain) : null;
    if (!site) throw notFound('Site');
    try {
      await this.orgAccess.requireRole(principal, site.orgId, roles);
    } catch (err) {
      // Not a member: the site does not exist for them (no enumeration of other tenants' domains).
      if ((err as { status?: number }).status === 404) throw notFound('Site');
      throw err;
    }
    return { site, authorized: authorizedOf(site) };
  }

  /** The site a Stats API request body names in `site_id` (stats and vitals reads: any role). */
  async requireBodySite(
    principal: Principal,
    body: unknown,
  ): Promise<{ site: SiteEntity; authorized: AuthorizedSite }> {
    const siteId =
      typeof body === 'object' && body !== null ? (body as { site_id?: unknown }).site_id : undefined;
    if (typeof siteId !== 'string' || siteId.length === 0 || siteId.length > 253)
      throw invalid('site_id', 'must be the domain of one of your sites');
    return this.requireSite(principal, siteId, ANY_ROLE);
  }

  /**
   * The site of a shared dashboard link, for reads: call ONLY after SharedLinksService checked the
   * link's token, revocation, expiry and password (the link names exactly this site).
   */
  authorizeSharedSite(site: SiteEntity): AuthorizedSite {
    return authorizedOf(site);
  }
}

function authorizedOf(site: SiteEntity): AuthorizedSite {
  return authorizeSite({
    id: site.id,
    domain: site.domain,
    timezone: site.timezone,
    createdAt: site.createdAt,
    currency: site.currency,
  });
}
