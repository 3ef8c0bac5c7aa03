import { REFERRER_SOURCE_HOSTS, SOURCE_ALIASES } from './referrer-source-hosts';
import { truncate } from './truncate';

/** Same cap as every other free-text column; longer referrers are tracking junk in the query. */
export const MAX_REFERRER_LENGTH = 2000;
/** Cap on a campaign-tagged source name taken verbatim from the page URL. */
const MAX_SOURCE_LENGTH = 2000;

export interface ClassifiedReferrer {
  /** `host/path` without scheme, `www.`, query, fragment or trailing slash; '' when none or internal. */
  referrer: string;
  /** Display name of a well-known source, else the referrer host; '' when none or internal. */
  source: string;
}

const NO_REFERRER: ClassifiedReferrer = Object.freeze({ referrer: '', source: '' });

// Built once at load: exact/suffix hosts in a Map, `name.*` entries as one anchored regex each.
const SOURCE_BY_HOST = new Map<string, string>();
const SOURCE_BY_ANY_TLD: { pattern: RegExp; source: string }[] = [];
for (const [source, hosts] of Object.entries(REFERRER_SOURCE_HOSTS)) {
  for (const host of hosts) {
    if (host.endsWith('.*')) {
      const label = host.slice(0, -2).replace(/[.-]/g, '\\$&');
      // name + TLD, optionally behind a second-level `co.`/`com.` (google.co.uk, google.com.br).
      SOURCE_BY_ANY_TLD.push({ pattern: new RegExp(`(?:^|\\.)${label}\\.(?:com?\\.)?[a-z]{2,6}$`), source });
    } else {
      SOURCE_BY_HOST.set(host.toLowerCase(), source);
    }
  }
}

/**
 * Normalises a referrer (the `Referer` header or `document.referrer`) and names its source.
 * Internal navigation (same host as the page, ignoring `www.`) is not a referral. Only web
 * (`http:`/`https:`) and Android app (`android-app:`) referrers count; anything unparsable yields
 * no referrer rather than an error, because one odd header must not fail an event.
 */
export function classifyReferrer(
  referrer: string | null | undefined,
  pageHostname: string,
): ClassifiedReferrer {
  if (typeof referrer !== 'string') return NO_REFERRER;
  const url = parseReferrerUrl(referrer.trim());
  if (url === null) return NO_REFERRER;

  const host = stripWww(url.hostname.toLowerCase().replace(/\.$/, ''));
  if (host === '') return NO_REFERRER;
  const pageHost = typeof pageHostname === 'string' ? stripWww(pageHostname.trim().toLowerCase()) : '';
  if (host === pageHost.replace(/\.$/, '')) return NO_REFERRER;

  const path = url.protocol === 'android-app:' ? '' : url.pathname.replace(/\/+$/, '');
  return {
    referrer: truncate(host + path, MAX_REFERRER_LENGTH),
    source: knownSourceForHost(host) || host,
  };
}

/**
 * The display name of a well-known host (subdomains included, `www.` ignored), or '' if unknown.
 * Walks from the full host up to its parents so the most specific entry wins.
 */
export function knownSourceForHost(hostname: string): string {
  const host = stripWww(hostname.trim().toLowerCase());
  if (host === '') return '';
  for (let candidate = host; ;) {
    const source = SOURCE_BY_HOST.get(candidate);
    if (source !== undefined) return source;
    const dot = candidate.indexOf('.');
    if (dot === -1) break;
    candidate = candidate.slice(dot + 1);
  }
  return SOURCE_BY_ANY_TLD.find(({ pattern }) => pattern.test(host))?.source ?? '';
}

export interface SourceInputs {
  /** `source` from classifyReferrer: '' when there was no external referrer. */
  referrerSource: string;
  /** `utm_source` of the page URL. */
  utmSource: string;
  /** `ref` (or `source`) of the page URL. */
  refParam: string;
}

/**
 * The one `referrer_source` stored per event. Precedence as in Plausible: `utm_source`, then
 * `?ref=`/`?source=` (the site owner tagged the link on purpose), then the external referrer's source.
 * Tagged values are mapped case-insensitively to the same names as hosts ('fb' → 'Facebook',
 * 'news.ycombinator.com' → 'Hacker News'); unknown tags are kept as written ('newsletter').
 */
export function resolveSource({ referrerSource, utmSource, refParam }: SourceInputs): string {
  for (const tag of [utmSource, refParam]) {
    const value = clean(tag);
    if (value !== '') return normaliseTaggedSource(value);
  }
  return clean(referrerSource);
}

function clean(value: string): string {
  return typeof value === 'string' ? value.trim() : '';
}

function normaliseTaggedSource(tag: string): string {
  const lower = tag.toLowerCase();
  const alias = SOURCE_ALIASES[lower];
  if (alias !== undefined) return alias;
  // A tag that is a hostname ('twitter.com', 'www.reddit.com') gets the host's name.
  if (/^[a-z0-9.-]+\.[a-z]{2,}$/.test(lower)) {
    const known = knownSourceForHost(lower);
    if (known !== '') return known;
  }
  return truncate(tag, MAX_SOURCE_LENGTH);
}

function parseReferrerUrl(raw: string): URL | null {
  if (raw === '') return null;
  // A scheme-less value ("example.com/page", "localhost:3000/", sent by some apps and proxies) is
  // read as a web URL; `name:` followed by a digit is a port, not a scheme.
  const withScheme = /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'android-app:'
    ? url
    : null;
}

function stripWww(host: string): string {
  return host.startsWith('www.') ? host.slice(4) : host;
}
