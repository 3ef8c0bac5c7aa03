import type { IncomingEvent } from '@sightline/events';
import { normalizeDomain, serializeEventRow } from '@sightline/events';
import { isBotUserAgent, isReferrerSpam } from '../enrich';
import type { VisitorIdentity } from '../identity/visitor-identity';
import type { SiteResolver } from '../sites/site-resolver';
import type { EventStream } from '../stream/event-stream';
import type { ReceiverMetrics } from '../receiver/receiver.metrics';
import { parsePageUrl, type ClientInfo, type EventEnricher } from './event-enricher';
import { IngestError } from './ingest-error';

export type DropReason = 'bot' | 'unknown_site' | 'referrer_spam';
export type IntakeOutcome = { status: 'accepted' } | { status: 'dropped'; reason: DropReason };

/**
 * The rules of `POST /api/event`: validate what the schema cannot, drop bots, spam and unknown
 * sites (counted, answered 202 so they do not retry), enrich, identify, and append to the stream.
 * The event counts as accepted only once Redis has it.
 */
export class EventIntakeService {
  constructor(
    private readonly deps: {
      sites: SiteResolver;
      identity: VisitorIdentity;
      stream: EventStream;
      enricher: EventEnricher;
      metrics: ReceiverMetrics;
    },
  ) {}

  async accept(body: IncomingEvent, client: ClientInfo, receivedAt = new Date()): Promise<IntakeOutcome> {
    const { sites, identity, stream, enricher, metrics } = this.deps;
    const pageUrl = parsePageUrl(body.url);
    const domain = normalizeDomain(body.domain);
    if (domain === null)
      throw new IngestError(400, 'invalid_domain', 'domain must be a host name such as example.com');
    if (isBotUserAgent(client.userAgent)) return this.drop('bot');
    if (body.referrer && isReferrerSpam(referrerHost(body.referrer))) return this.drop('referrer_spam');
    const siteId = await sites.resolve(domain);
    if (siteId === null) return this.drop('unknown_site');

    const event = enricher.enrich(body, pageUrl, siteId, client, receivedAt);
    const { visitorId, sessionId } = await identity.identify(siteId, client.ip, client.userAgent, receivedAt);
    await stream.append(serializeEventRow({ ...event, visitor_id: visitorId, session_id: sessionId }));
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
