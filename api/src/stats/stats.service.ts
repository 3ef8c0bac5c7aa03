import { Inject, Injectable } from '@nestjs/common';
import type { SiteStatus } from '@sightline/api-contract';
import {
  QueryEngine,
  type AuthorizedSite,
  type PropertyKeysResponse,
  type QueryResponse,
} from '@sightline/query';
import { QuotaLockService } from '../billing/quota-lock.service';
import { invalid } from '../common/domain-error';
import type { Principal } from '../common/principal';
import { ANY_ROLE } from '../orgs/org-access.service';
import { SiteAccessService } from '../sites/site-access.service';

/** Stats reads: every one goes through the query engine with a site that passed the access check. */
@Injectable()
export class StatsService {
  constructor(
    @Inject(QueryEngine) private readonly engine: QueryEngine,
    @Inject(SiteAccessService) private readonly siteAccess: SiteAccessService,
    @Inject(QuotaLockService) private readonly quotaLock: QuotaLockService,
  ) {}

  async query(principal: Principal, body: unknown): Promise<QueryResponse> {
    const authorized = await this.openSite(principal, body);
    return this.engine.run(authorized, body);
  }

  async propertyKeys(principal: Principal, body: unknown): Promise<PropertyKeysResponse> {
    const authorized = await this.openSite(principal, body);
    return { results: await this.engine.propertyKeys(authorized, body) };
  }

  /** The body's `site_id`, access-checked, with stats not locked by the quota. */
  private async openSite(principal: Principal, body: unknown): Promise<AuthorizedSite> {
    const siteId =
      typeof body === 'object' && body !== null ? (body as { site_id?: unknown }).site_id : undefined;
    if (typeof siteId !== 'string' || siteId.length === 0 || siteId.length > 253)
      throw invalid('site_id', 'must be the domain of one of your sites');
    const { site, authorized } = await this.siteAccess.requireSite(principal, siteId, ANY_ROLE);
    await this.quotaLock.assertStatsOpen(site.orgId, body);
    return authorized;
  }

  /** 402 `quota_locked` when the org's stats are locked (over quota after grace). */
  requireOpen(orgId: string): Promise<void> {
    return this.quotaLock.assertStatsOpen(orgId);
  }

  currentVisitors(site: AuthorizedSite): Promise<number> {
    return this.engine.currentVisitors(site);
  }

  async status(site: AuthorizedSite): Promise<SiteStatus> {
    const status = await this.engine.siteStatus(site);
    return { hasEvents: status.hasEvents, lastEventAt: status.lastEventAt?.toISOString() ?? null };
  }
}
