import {
  normalizeDomain,
  serializeVitalsRow,
  VITAL_NOT_MEASURED,
  WEB_VITAL_METRICS,
  type VitalsRow,
} from '@sightline/events';
import { isBotUserAgent } from '@sightline/enrich';
import type { VisitorIdentity } from '../identity/visitor-identity';
import { parsePageUrl, type ClientInfo, type EventEnricher } from '../intake/event-enricher';
import { newEventId } from '../intake/event-id';
import { IngestError } from '../intake/ingest-error';
import type { IngestRateLimiter } from '../intake/ingest-rate-limiter';
import type { IntakeOutcome } from '../intake/event-intake.service';
import type { CapacityGate } from '../sites/capacity-gate';
import { isHostnameAllowed } from '../sites/hostname-allowlist';
import type { SiteDecisionCache } from '../sites/site-decision-cache';
import type { IncomingVitals } from './vitals-body.schema';
import type { VitalsStream } from './vitals-stream';

/**
 * The rules of `POST /api/vitals`, the same as for events where they apply: rate limits, bots and
 * unknown sites dropped with 202, the host allowlist, an unpaid org refused; then one row (page
 * path, device class, country, browser from the request) goes to the vitals stream. The body's
 * ranges are checked by its schema; a body with no metric at all is refused here.
 */
export class VitalsIntakeService {
  constructor(
    private readonly deps: {
      sites: SiteDecisionCache;
      identity: VisitorIdentity;
      stream: VitalsStream;
      enricher: EventEnricher;
      limiter: IngestRateLimiter;
      capacity?: CapacityGate;
    },
  ) {}

  async accept(body: IncomingVitals, client: ClientInfo, receivedAt = new Date()): Promise<IntakeOutcome> {
    const { sites, identity, stream, enricher, limiter } = this.deps;
    limiter.checkIp(client.ip);
    if (!WEB_VITAL_METRICS.some((m) => body[m] !== undefined))
      throw new IngestError(400, 'no_vitals', `at least one of ${WEB_VITAL_METRICS.join(', ')} is required`);
    const pageUrl = parsePageUrl(body.url);
    const domain = normalizeDomain(body.domain);
    if (domain === null)
      throw new IngestError(400, 'invalid_domain', 'domain must be a host name such as example.com');
    if (isBotUserAgent(client.userAgent)) return { status: 'dropped', reason: 'bot' };
    const { site } = await sites.decide(domain);
    if (site === null) return { status: 'dropped', reason: 'unknown_site' };
    if (!isHostnameAllowed(pageUrl.hostname, site.allowedHostnames))
      throw new IngestError(
        403,
        'hostname_not_allowed',
        `${pageUrl.hostname} is not an allowed host name for ${domain}`,
      );
    limiter.checkSiteRange(site.id, client.ip);
    const capacity = await this.deps.capacity?.decision(site.id);
    if (capacity && !capacity.accept)
      throw new IngestError(
        402,
        'payment_required',
        `${domain} belongs to an organization whose subscription is unpaid; nothing is recorded until it is paid`,
      );
    await limiter.chargeSite(site.id);
    // The enricher gives the page path, device class, country and browser exactly as events get them.
    const event = enricher.enrich(
      { name: 'vitals', url: body.url, domain, referrer: null },
      pageUrl,
      site.id,
      client,
      receivedAt,
    );
    const ids = await identity.visitorIds(site.id, client.ip, client.userAgent, receivedAt);
    const row: VitalsRow = {
      event_id: newEventId(),
      visitor_id: ids.current,
      site_id: site.id,
      timestamp: event.timestamp,
      hostname: event.hostname,
      pathname: event.pathname,
      country_code: event.country_code,
      browser: event.browser,
      os: event.os,
      device: event.device,
      lcp: millis(body.lcp),
      inp: millis(body.inp),
      cls: body.cls === undefined ? VITAL_NOT_MEASURED : Math.round(body.cls * 10_000) / 10_000,
      fcp: millis(body.fcp),
      ttfb: millis(body.ttfb),
    };
    await stream.append(serializeVitalsRow(row));
    return { status: 'accepted' };
  }
}

function millis(value: number | undefined): number {
  return value === undefined ? VITAL_NOT_MEASURED : Math.round(value);
}
