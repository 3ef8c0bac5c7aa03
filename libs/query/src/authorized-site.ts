import { isValidTimeZone } from './timezone';

declare const authorized: unique symbol;

/**
 * A site whose access has been checked. The brand cannot be written in an object literal, so
 * the only way to get one is `authorizeSite`, and the engine accepts nothing else: every
 * statement it emits is scoped to `id`.
 */
export interface AuthorizedSite {
  readonly id: number;
  readonly domain: string;
  readonly timezone: string;
  /** Lower bound for `date_range: "all"` when the site has no events yet. */
  readonly createdAt?: Date;
  /** ISO 4217 code revenue metrics are reported in (default USD). */
  readonly currency?: string;
  readonly [authorized]: true;
}

export interface SiteRecord {
  id: number;
  domain: string;
  timezone: string;
  createdAt?: Date;
  currency?: string;
}

/**
 * Call this ONLY from the API's access guard, after it has verified that the caller (session
 * user or API key) may read this site. Anything else that calls it bypasses tenancy.
 */
export function authorizeSite(site: SiteRecord): AuthorizedSite {
  if (!Number.isSafeInteger(site.id) || site.id <= 0)
    throw new TypeError(`authorizeSite: invalid site id ${site.id}`);
  if (!isValidTimeZone(site.timezone))
    throw new TypeError(`authorizeSite: unknown timezone ${site.timezone}`);
  return Object.freeze({ ...site }) as AuthorizedSite;
}
