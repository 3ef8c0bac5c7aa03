import type { IngestSite, SiteRepository } from './site.repository';

interface CacheEntry {
  site: IngestSite | null;
  expiresAt: number;
}

/**
 * domain → site with a short in-memory TTL (unknown domains are cached too, so a flood of
 * events for a missing site does not become a flood of Postgres queries). Concurrent misses
 * for the same domain share one query.
 */
export class SiteResolver {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<IngestSite | null>>();

  constructor(
    private readonly repository: SiteRepository,
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  async resolve(domain: string, now = Date.now()): Promise<IngestSite | null> {
    const hit = this.cache.get(domain);
    if (hit && hit.expiresAt > now) return hit.site;
    const pending = this.inFlight.get(domain);
    if (pending) return pending;
    const lookup = this.repository
      .findByDomain(domain)
      .then((site) => {
        if (this.cache.size >= this.maxEntries) this.cache.clear();
        this.cache.set(domain, { site, expiresAt: now + this.ttlMs });
        return site;
      })
      .finally(() => this.inFlight.delete(domain));
    this.inFlight.set(domain, lookup);
    return lookup;
  }
}
