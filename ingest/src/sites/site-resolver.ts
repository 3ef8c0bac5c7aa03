import type { SiteRepository } from './site.repository';

interface CacheEntry {
  siteId: number | null;
  expiresAt: number;
}

/**
 * domain → site id with a short in-memory TTL (unknown domains are cached too, so a flood of
 * events for a missing site does not become a flood of Postgres queries). Concurrent misses
 * for the same domain share one query.
 */
export class SiteResolver {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<number | null>>();

  constructor(
    private readonly repository: SiteRepository,
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  async resolve(domain: string, now = Date.now()): Promise<number | null> {
    const hit = this.cache.get(domain);
    if (hit && hit.expiresAt > now) return hit.siteId;
    const pending = this.inFlight.get(domain);
    if (pending) return pending;
    const lookup = this.repository
      .findIdByDomain(domain)
      .then((siteId) => {
        if (this.cache.size >= this.maxEntries) this.cache.clear();
        this.cache.set(domain, { siteId, expiresAt: now + this.ttlMs });
        return siteId;
      })
      .finally(() => this.inFlight.delete(domain));
    this.inFlight.set(domain, lookup);
    return lookup;
  }
}
