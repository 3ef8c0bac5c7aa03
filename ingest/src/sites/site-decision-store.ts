import type { Redis } from 'ioredis';
import type { SiteDecision } from './site-decision';

/** Last known decisions survive a receiver restart during a Postgres outage for this long. */
const KEEP_SECONDS = 7 * 24 * 3600;

/**
 * A second copy of the last known decision for each known site, in Redis, so a receiver that
 * starts (or restarts) while Postgres is down still accepts events for sites it has never seen
 * in this process. Unknown domains are not kept (a flood of random domains must not fill Redis).
 */
export class SiteDecisionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix = 'sightline:site-decision:',
  ) {}

  async read(domain: string): Promise<SiteDecision | null> {
    const raw = await this.redis.get(this.keyPrefix + domain);
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as Partial<SiteDecision>;
    const site = parsed.site;
    if (!site || typeof site.id !== 'number' || !Array.isArray(site.allowedHostnames)) return null;
    return { site: { id: site.id, allowedHostnames: site.allowedHostnames.map(String) } };
  }

  async write(domain: string, decision: SiteDecision): Promise<void> {
    if (decision.site === null) await this.redis.del(this.keyPrefix + domain);
    else await this.redis.set(this.keyPrefix + domain, JSON.stringify(decision), 'EX', KEEP_SECONDS);
  }
}
