import { Inject, Injectable } from '@nestjs/common';
import type { SiteEntity } from '@sightline/database';
import { WebVitalsEngine, type AuthorizedSite, type VitalsResponse } from '@sightline/query';
import { QuotaLockService } from '../billing/quota-lock.service';
import type { Principal } from '../common/principal';
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
    const { site, authorized } = await this.siteAccess.requireBodySite(principal, body);
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
