import type { EnrichedEvent, IncomingEvent } from '@sightline/events';
import { ENGAGEMENT_EVENT, EVENT_LIMITS, formatClickHouseDateTime } from '@sightline/events';
import {
  classifyReferrer,
  extractUtm,
  parseUserAgent,
  resolveSource,
  type CountryLookup,
} from '@sightline/enrich';
import { IngestError } from './ingest-error';

export interface ClientInfo {
  ip: string;
  userAgent: string;
}

const MAX_REVENUE = 1e12;

/**
 * Turns a validated event into a row: page URL split into host and path, referrer source and
 * UTM tags, browser/OS/device from the user agent, country from the IP. The IP and the user agent
 * themselves are never part of the row. Pure apart from the country database lookup, so the demo
 * seed uses it too.
 */
export class EventEnricher {
  /** The last second formatted: every event of that second shares the text. */
  private second = { ms: Number.NaN, text: '' };

  constructor(private readonly countries: CountryLookup) {}

  enrich(
    body: IncomingEvent,
    pageUrl: URL,
    siteId: number,
    client: ClientInfo,
    receivedAt: Date,
  ): EnrichedEvent {
    const ua = parseUserAgent(client.userAgent);
    const utm = extractUtm(pageUrl);
    const ref = classifyReferrer(body.referrer, pageUrl.hostname);
    const props = Object.entries(body.props ?? {}).filter(([, v]) => v !== null && v !== undefined);
    return {
      site_id: siteId,
      timestamp: this.timestampOf(receivedAt),
      name: clean(body.name),
      hostname: pageUrl.hostname.replace(/^www\./, ''),
      pathname: clean(pathnameOf(pageUrl, Boolean(body.hashMode))),
      referrer: clean(ref.referrer),
      referrer_source: clean(
        resolveSource({ referrerSource: ref.source, utmSource: utm.utm_source, refParam: utm.ref }),
      ),
      utm_source: clean(utm.utm_source),
      utm_medium: clean(utm.utm_medium),
      utm_campaign: clean(utm.utm_campaign),
      utm_content: clean(utm.utm_content),
      utm_term: clean(utm.utm_term),
      country_code: this.countries.lookup(client.ip),
      browser: ua.browser,
      browser_version: ua.browserVersion,
      os: ua.os,
      os_version: ua.osVersion,
      device: ua.device,
      props_keys: props.map(([k]) => clean(k)),
      props_values: props.map(([, v]) => clean(String(v))),
      ...revenueOf(body),
      ...engagementOf(body),
    };
  }

  private timestampOf(at: Date): string {
    const ms = at.getTime() - (at.getTime() % 1000);
    if (ms !== this.second.ms) this.second = { ms, text: formatClickHouseDateTime(at) };
    return this.second.text;
  }
}

/** Parses the page URL; only absolute http(s) URLs are accepted. */
export function parsePageUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new IngestError(400, 'invalid_url', 'url must be an absolute http(s) URL');
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) {
    throw new IngestError(400, 'invalid_url', 'url must be an absolute http(s) URL');
  }
  // Browsers keep a fully qualified host's trailing dot (`example.com.`) in location.href; it is
  // the same host, and must not become a separate host name in reports or fail an allowlist.
  if (parsed.hostname.endsWith('.')) parsed.hostname = parsed.hostname.replace(/\.+$/, '');
  if (!parsed.hostname) throw new IngestError(400, 'invalid_url', 'url must be an absolute http(s) URL');
  return parsed;
}

/**
 * Hash-routed apps (`#/settings`) keep their route in the path; ordinary anchors are dropped,
 * unless the tracker says the site routes by hash (Plausible's `h: 1`, our `data-hash`).
 */
function pathnameOf(url: URL, hashMode: boolean): string {
  return url.hash.startsWith('#/') || (hashMode && url.hash.length > 1)
    ? url.pathname + url.hash
    : url.pathname;
}

/**
 * An engagement ping's scroll depth (0–100 %, a little over 100 is clamped: a page that shrank
 * after the visitor scrolled) and engaged time (ms, up to a day). Anything else is a 400, so a
 * broken or hostile client never writes absurd values. Other events carry neither (columns stay 0).
 */
function engagementOf(body: IncomingEvent): { scroll_depth?: number; engagement_time?: number } {
  if (body.name !== ENGAGEMENT_EVENT) return {};
  const depth = body.scroll_depth;
  if (typeof depth !== 'number' || !Number.isFinite(depth) || depth < 0 || depth > 1000) {
    throw new IngestError(
      400,
      'invalid_engagement',
      'engagement events need sd (scroll depth) between 0 and 100',
    );
  }
  const time = body.engagement_time;
  const max = EVENT_LIMITS.maxEngagementTimeMs;
  if (typeof time !== 'number' || !Number.isFinite(time) || time < 0 || time > max) {
    throw new IngestError(
      400,
      'invalid_engagement',
      `engagement events need e (engaged milliseconds) between 0 and ${max}`,
    );
  }
  return { scroll_depth: Math.min(100, Math.round(depth)), engagement_time: Math.round(time) };
}

function revenueOf(body: IncomingEvent): { revenue_amount: number; revenue_currency: string } {
  if (!body.revenue) return { revenue_amount: 0, revenue_currency: '' };
  const amount = typeof body.revenue.amount === 'number' ? body.revenue.amount : Number(body.revenue.amount);
  if (!Number.isFinite(amount) || Math.abs(amount) >= MAX_REVENUE) {
    throw new IngestError(400, 'invalid_revenue', `revenue.amount must be a number below ${MAX_REVENUE}`);
  }
  return {
    revenue_amount: Math.round(amount * 10_000) / 10_000,
    revenue_currency: body.revenue.currency.toUpperCase(),
  };
}

/** Lone UTF-16 surrogates cannot be stored as UTF-8; replace them rather than fail the batch. */
function clean(value: string): string {
  return value.toWellFormed();
}
