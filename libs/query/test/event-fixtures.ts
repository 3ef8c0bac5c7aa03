import { EventsRepository, type ClickHouseClient } from '@sightline/clickhouse';
import { serializeEventRow, type EventRow } from '@sightline/events';

/** A hand-written event: only what a test cares about; `at` is a UTC ISO instant. */
export interface FixtureEvent {
  at: string;
  visitor: number;
  session: number;
  name?: string;
  page?: string;
  hostname?: string;
  referrerSource?: string;
  referrer?: string;
  utmSource?: string;
  utmMedium?: string;
  utmCampaign?: string;
  country?: string;
  device?: string;
  browser?: string;
  os?: string;
  utmContent?: string;
  utmTerm?: string;
  /** Custom properties, in order. */
  props?: Record<string, string>;
  revenue?: { amount: number; currency: string };
  /** Fixed event id (ids are random in production; ties in a second are broken by it). */
  eventId?: number;
  /** Engagement pings (name `engagement`) only. */
  scrollDepth?: number;
  engagementTime?: number;
}

let nextEventId = 1n;

export function fixtureRow(siteId: number, e: FixtureEvent): EventRow {
  const at = new Date(e.at);
  if (Number.isNaN(at.getTime())) throw new Error(`bad fixture time ${e.at}`);
  return {
    site_id: siteId,
    timestamp: at.toISOString().slice(0, 19).replace('T', ' '),
    name: e.name ?? 'pageview',
    hostname: e.hostname ?? 'example.com',
    pathname: e.page ?? '/',
    referrer: e.referrer ?? '',
    referrer_source: e.referrerSource ?? '',
    utm_source: e.utmSource ?? '',
    utm_medium: e.utmMedium ?? '',
    utm_campaign: e.utmCampaign ?? '',
    utm_content: e.utmContent ?? '',
    utm_term: e.utmTerm ?? '',
    country_code: e.country ?? 'DE',
    browser: e.browser ?? 'Firefox',
    browser_version: '120',
    os: e.os ?? 'Linux',
    os_version: '',
    device: e.device ?? 'Desktop',
    visitor_id: BigInt(e.visitor),
    session_id: BigInt(e.session),
    event_id: e.eventId !== undefined ? BigInt(e.eventId) : nextEventId++,
    props_keys: Object.keys(e.props ?? {}),
    props_values: Object.values(e.props ?? {}),
    revenue_amount: e.revenue?.amount ?? 0,
    revenue_currency: e.revenue?.currency ?? '',
    ...(e.scrollDepth === undefined ? {} : { scroll_depth: e.scrollDepth }),
    ...(e.engagementTime === undefined ? {} : { engagement_time: e.engagementTime }),
  };
}

export async function insertEvents(
  client: ClickHouseClient,
  siteId: number,
  events: FixtureEvent[],
): Promise<void> {
  await new EventsRepository(client).insertJsonLines(
    events.map((e) => serializeEventRow(fixtureRow(siteId, e))),
  );
}
