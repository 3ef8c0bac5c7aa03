import { Inject, Injectable } from '@nestjs/common';
import type { SiteStatus } from '@sightline/api-contract';
import { QueryEngine, type AuthorizedSite, type QueryResponse } from '@sightline/query';
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
  ) {}

  async query(principal: Principal, body: unknown): Promise<QueryResponse> {
    const siteId =
      typeof body === 'object' && body !== null ? (body as { site_id?: unknown }).site_id : undefined;
    if (typeof siteId !== 'string' || siteId.length === 0 || siteId.length > 253)
      throw invalid('site_id', 'must be the domain of one of your sites');
    const { authorized } = await this.siteAccess.requireSite(principal, siteId, ANY_ROLE);
    return this.engine.run(authorized, body);
  }

  currentVisitors(site: AuthorizedSite): Promise<number> {
    return this.engine.currentVisitors(site);
  }

  async status(site: AuthorizedSite): Promise<SiteStatus> {
    const status = await this.engine.siteStatus(site);
    return { hasEvents: status.hasEvents, lastEventAt: status.lastEventAt?.toISOString() ?? null };
  }
}
