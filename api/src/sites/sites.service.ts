import { Inject, Injectable } from '@nestjs/common';
import type { CreateSiteBody, SiteView, UpdateSiteBody } from '@sightline/api-contract';
import type { ApiConfig } from '@sightline/config';
import { normalizeDomain } from '@sightline/events';
import { BillingService } from '../billing/billing.service';
import { invalid } from '../common/domain-error';
import { API_CONFIG } from '../common/tokens';
import { siteSnippet } from './site-snippet';
import type { SiteEntity } from '@sightline/database';
import { SiteRepository } from './site.repository';

@Injectable()
export class SitesService {
  constructor(
    @Inject(SiteRepository) private readonly sites: SiteRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(BillingService) private readonly billing: BillingService,
  ) {}

  async list(orgId: string): Promise<SiteView[]> {
    return (await this.sites.listForOrg(orgId)).map((s) => this.toView(s));
  }

  async create(orgId: string, body: CreateSiteBody): Promise<SiteView> {
    const domain = normalizeDomain(body.domain);
    if (!domain || !isHostname(domain))
      throw invalid('domain', 'must be a domain name such as example.com (no path or port)');
    await this.billing.assertCanAddSite(orgId);
    const site = await this.sites.create({
      orgId,
      domain,
      name: body.name ?? domain,
      timezone: body.timezone ?? 'UTC',
    });
    return this.toView(site);
  }

  async update(site: SiteEntity, body: UpdateSiteBody): Promise<SiteView> {
    await this.sites.update(site.id, body);
    return this.toView({ ...site, ...body });
  }

  /**
   * Soft-deletes the site: from now on the API does not show it, the ingest stops accepting its
   * events (after its site cache expires) and the domain can be added again. The workers'
   * retention-sweep job deletes its ClickHouse data in batched mutations, then removes the row.
   */
  async delete(site: SiteEntity): Promise<void> {
    await this.sites.softDelete(site.id);
  }

  toView(site: SiteEntity): SiteView {
    return {
      id: site.id,
      orgId: site.orgId,
      domain: site.domain,
      name: site.name,
      timezone: site.timezone,
      allowedHostnames: site.allowedHostnames,
      currency: site.currency,
      createdAt: site.createdAt.toISOString(),
      snippet: siteSnippet(this.config.PUBLIC_INGEST_URL, site.domain),
    };
  }
}

/** RFC 1123 host name with at least two labels: no empty labels, none longer than 63, no edge hyphens. */
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
function isHostname(domain: string): boolean {
  const labels = domain.split('.');
  return labels.length >= 2 && labels.every((label) => LABEL.test(label));
}
