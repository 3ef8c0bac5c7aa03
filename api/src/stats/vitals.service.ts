import { Inject, Injectable } from '@nestjs/common';
import type { SiteEntity } from '@sightline/database';
import { WebVitalsEngine, type AuthorizedSite, type VitalsResponse } from '@sightline/query';
import { QuotaLockService } from '../billing/quota-lock.service';
import { invalid } from '../common/domain-error';
import type { Principal } from '../common/principal';
import { ANY_ROLE } from '../orgs/org-access.service';
import { SiteAccessService } from '../sites/site-access.service';

/** Web-vitals reads: the same access and quota-lock rules as every stats query. */
@Injectable()
export class VitalsService {
  constructor(
    @Inject(WebVitalsEngine) private readonly engine: WebVitalsEngine,
    @Inject(SiteAccessService) private readonly siteAccess: SiteAccessService,
    @Inject(QuotaLockService) private readonly quotaLock: QuotaLockService,
  ) {}

  async vitals(principal: Principal, body: unknown): Promise<VitalsResponse> {
    const siteId =
      typeof body === 'object' && body !== null ? (body as { site_id?: unknown }).site_id : undefined;
    if (typeof siteId !== 'string' || siteId.length === 0 || siteId.length > 253)
      throw invalid('site_id', 'must be the domain of one of your sites');
    const { site, authorized } = await this.siteAccess.requireSite(principal, siteId, ANY_ROLE);
    return this.vitalsAuthorized(site, authorized, body);
  }

  /** Vitals of a site that already passed an access check (a member's, or a shared link's). */
  async vitalsAuthorized(
    site: Pick<SiteEntity, 'orgId'>,
    authorized: AuthorizedSite,
    body: unknown,
  ): Promise<VitalsResponse> {
    await this.quotaLock.assertStatsOpen(site.orgId, body);
    return this.engine.run(authorized, body);
  }
}
