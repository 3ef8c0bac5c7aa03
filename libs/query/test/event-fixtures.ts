import type { ClickHouseClient } from '@sightline/clickhouse';
import type { EventRow } from '@sightline/events';
import { eventRow, insertRows } from '@sightline/testing';

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
  // Fields left undefined keep eventRow's defaults (a Firefox/Linux desktop pageview of / on example.com from DE).
  return eventRow(siteId, at, {
    name: e.name,
    hostname: e.hostname,
    pathname: e.page,
    referrer: e.referrer,
    referrer_source: e.referrerSource,
    utm_source: e.utmSource,
    utm_medium: e.utmMedium,
    utm_campaign: e.utmCampaign,
    utm_content: e.utmContent,
    utm_term: e.utmTerm,
    country_code: e.country,
    browser: e.browser,
    os: e.os,
    device: e.device,
    visitor_id: BigInt(e.visitor),
    session_id: BigInt(e.session),
    event_id: e.eventId !== undefined ? BigInt(e.eventId) : nextEventId++,
    props_keys: Object.keys(e.props ?? {}),
    props_values: Object.values(e.props ?? {}),
    revenue_amount: e.revenue?.amount,
    revenue_currency: e.revenue?.currency,
    scroll_depth: e.scrollDepth,
    engagement_time: e.engagementTime,
  });
}

export async function insertEvents(
  client: ClickHouseClient,
  siteId: number,
  events: FixtureEvent[],
): Promise<void> {
  await insertRows(
    client,
    events.map((e) => fixtureRow(siteId, e)),
  );
}
