import type { IncomingEvent } from '@sightline/events';
import { eventRowPartsOf, normalizeDomain } from '@sightline/events';
import { isBotUserAgent, isReferrerSpam } from '@sightline/enrich';
import type { VisitorIdentity } from '../identity/visitor-identity';
import type { CapacityGate } from '../sites/capacity-gate';
import { isHostnameAllowed } from '../sites/hostname-allowlist';
import type { SiteDecisionCache } from '../sites/site-decision-cache';
import type { DurableEventQueue } from '../stream/durable-event-queue';
import type { ReceiverMetrics } from '../receiver/receiver.metrics';
import { parsePageUrl, type ClientInfo, type EventEnricher } from './event-enricher';
import { newEventId } from './event-id';
import { IngestError } from './ingest-error';
import type { IngestRateLimiter } from './ingest-rate-limiter';

export type DropReason = 'bot' | 'unknown_site' | 'referrer_spam';
export type IntakeOutcome = { status: 'accepted' } | { status: 'dropped'; reason: DropReason };

/**
 * The rules of `POST /api/event`: rate-limit, validate what the schema cannot, drop bots, spam and
 * unknown sites (counted, answered 202 so they do not retry), check the site's host allowlist,
 * enrich, identify, and hand the row to the durable queue (which applies the site's rate limit). The event counts as accepted only once
 * it is in Redis or fsync'd to the disk spool.
 */
export class EventIntakeService {
  constructor(
    private readonly deps: {
      sites: SiteDecisionCache;
      identity: VisitorIdentity;
      queue: DurableEventQueue;
      enricher: EventEnricher;
      limiter: IngestRateLimiter;
      metrics: ReceiverMetrics;
      /** Billing's per-site capacity decision (only unpaid orgs are ever refused). */
      capacity?: CapacityGate;
    },
  ) {}

  async accept(body: IncomingEvent, client: ClientInfo, receivedAt = new Date()): Promise<IntakeOutcome> {
    const { sites, identity, queue, enricher, limiter, metrics } = this.deps;
    limiter.checkIp(client.ip);
    const pageUrl = parsePageUrl(body.url);
    const domain = normalizeDomain(body.domain);
    if (domain === null)
      throw new IngestError(400, 'invalid_domain', 'domain must be a host name such as example.com');
    if (isBotUserAgent(client.userAgent)) return this.drop('bot');
    if (body.referrer && isReferrerSpam(referrerHost(body.referrer))) return this.drop('referrer_spam');
    // Cached decisions are read without a promise: this runs for every event.
    const { site } = sites.fresh(domain) ?? (await sites.decide(domain));
    if (site === null) return this.drop('unknown_site');
    if (!isHostnameAllowed(pageUrl.hostname, site.allowedHostnames)) {
      throw new IngestError(
        403,
        'hostname_not_allowed',
        `${pageUrl.hostname} is not an allowed host name for ${domain}`,
      );
    }
    limiter.checkSiteRange(site.id, client.ip);
    const gate = this.deps.capacity;
    let capacity = gate?.cached(site.id);
    if (capacity === undefined && gate) capacity = await gate.decision(site.id);
    if (capacity && !capacity.accept) {
      await this.deps.capacity?.countRefused(capacity.orgId);
      throw new IngestError(
        402,
        'payment_required',
        `${domain} belongs to an organization whose subscription is unpaid; events are not recorded until it is paid`,
      );
    }
    const event = enricher.enrich(body, pageUrl, site.id, client, receivedAt);
    const ids = await identity.visitorIds(site.id, client.ip, client.userAgent, receivedAt);
    const [sessionKey, previousSessionKey] = identity.sessionKeys(site.id, ids);
    const row = eventRowPartsOf(newEventId(), event);
    const prefix = row.prefixFor(ids.current);
    await queue.enqueue(
      {
        siteId: site.id,
        sessionKey,
        previousSessionKey,
        candidateSessionId: newEventId().toString(),
        prefix,
        previousPrefix: row.prefixFor(ids.previous),
        suffix: row.suffix,
        spoolLine: () => prefix + identity.localSessionId(site.id, ids.current, receivedAt) + row.suffix,
      },
      (siteId) => limiter.chargeSite(siteId),
    );
    metrics.accepted.inc();
    return { status: 'accepted' };
  }

  private drop(reason: DropReason): IntakeOutcome {
    this.deps.metrics.dropped.inc({ reason });
    return { status: 'dropped', reason };
  }
}

function referrerHost(referrer: string): string {
  try {
    return new URL(referrer).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}
