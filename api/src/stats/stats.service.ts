import { Inject, Injectable } from '@nestjs/common';
import type { SiteStatus } from '@sightline/api-contract';
import type { SiteEntity } from '@sightline/database';
import {
  QueryEngine,
  type AuthorizedSite,
  type PropertyKeysResponse,
  type QueryResponse,
} from '@sightline/query';
import { QuotaLockService } from '../billing/quota-lock.service';
import type { Principal } from '../common/principal';
import { ImportsService } from '../imports/imports.service';
import { SiteAccessService } from '../sites/site-access.service';

/** Stats reads: every one goes through the query engine with a site that passed the access check. */
@Injectable()
export class StatsService {
  constructor(
    @Inject(QueryEngine) private readonly engine: QueryEngine,
    @Inject(SiteAccessService) private readonly siteAccess: SiteAccessService,
    @Inject(QuotaLockService) private readonly quotaLock: QuotaLockService,
    @Inject(ImportsService) private readonly imports: ImportsService,
  ) {}

  async query(principal: Principal, body: unknown): Promise<QueryResponse> {
    const { site, authorized } = await this.siteAccess.requireBodySite(principal, body);
    return this.queryAuthorized(site, authorized, body);
  }

  async propertyKeys(principal: Principal, body: unknown): Promise<PropertyKeysResponse> {
    const { site, authorized } = await this.siteAccess.requireBodySite(principal, body);
    return this.propertyKeysAuthorized(site, authorized, body);
  }

  /** Property keys of a site that already passed an access check (a member's, or a shared link's). */
  async propertyKeysAuthorized(
    site: Pick<SiteEntity, 'orgId'>,
    authorized: AuthorizedSite,
    body: unknown,
  ): Promise<PropertyKeysResponse> {
    await this.quotaLock.assertStatsOpen(site.orgId, body);
    return { results: await this.engine.propertyKeys(authorized, body) };
  }

  /** A query on a site that already passed an access check (a member's, or a shared link's). */
  async queryAuthorized(
    site: Pick<SiteEntity, 'id' | 'orgId'>,
    authorized: AuthorizedSite,
    body: unknown,
  ): Promise<QueryResponse> {
    await this.quotaLock.assertStatsOpen(site.orgId, body);
    const imports = await this.imports.forQuery(site.id, body);
    return this.engine.run(authorized, body, imports ? { imports } : {});
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
