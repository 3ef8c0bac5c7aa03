import type { IngestSite } from './site.repository';

/**
 * What the receiver knows about a domain, loaded together and cached together. One small record
 * so later decisions join it (billing adds the site's capacity decision here) and share its
 * caching rules: fresh for a TTL, then refreshed; served stale while Postgres is unreachable.
 */
export interface SiteDecision {
  /** null: no site has this domain; its events are dropped (202, counted). */
  site: IngestSite | null;
}
