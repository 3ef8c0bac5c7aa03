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
    utm_content: '',
    utm_term: '',
    country_code: e.country ?? 'DE',
    browser: e.browser ?? 'Firefox',
    browser_version: '120',
    os: e.os ?? 'Linux',
    os_version: '',
    device: e.device ?? 'Desktop',
    visitor_id: BigInt(e.visitor),
    session_id: BigInt(e.session),
    event_id: nextEventId++,
    props_keys: [],
    props_values: [],
    revenue_amount: 0,
    revenue_currency: '',
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
