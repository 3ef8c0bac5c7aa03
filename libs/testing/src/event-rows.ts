import { EventsRepository, type ClickHouseClient } from '@sightline/clickhouse';
import { formatClickHouseDateTime, serializeEventRow, type EventRow } from '@sightline/events';

let nextEventId = BigInt(Date.now()) * 1000n;

/** The columns of an event row a test may set (site and time are eventRow's own arguments). */
export type EventRowFields = Partial<Omit<EventRow, 'site_id' | 'timestamp'>>;

/**
 * A stored event row as the flusher writes it, with only what the test cares about: a Firefox
 * pageview of `/` on example.com from Germany by visitor 1 in session 1, and a fresh event id.
 * `fields` overrides any column; a field given as `undefined` keeps its default.
 */
export function eventRow(siteId: number, at: string | Date, fields: EventRowFields = {}): EventRow {
  const row: EventRow = {
    site_id: siteId,
    timestamp: formatClickHouseDateTime(new Date(at)),
    name: 'pageview',
    hostname: 'example.com',
    pathname: '/',
    referrer: '',
    referrer_source: '',
    utm_source: '',
    utm_medium: '',
    utm_campaign: '',
    utm_content: '',
    utm_term: '',
    country_code: 'DE',
    browser: 'Firefox',
    browser_version: '120',
    os: 'Linux',
    os_version: '',
    device: 'Desktop',
    visitor_id: 1n,
    session_id: 1n,
    event_id: nextEventId++,
    props_keys: [],
    props_values: [],
    revenue_amount: 0,
    revenue_currency: '',
  };
  for (const [key, value] of Object.entries(fields))
    if (value !== undefined) Object.assign(row, { [key]: value });
  return row;
}

/** Stores rows in the events table as the flusher does (JSONEachRow lines). */
export async function insertRows(clickhouse: ClickHouseClient, rows: readonly EventRow[]): Promise<void> {
  await new EventsRepository(clickhouse).insertJsonLines(rows.map((r) => serializeEventRow(r)));
}
