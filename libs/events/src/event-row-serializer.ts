import type { EventRow } from './event-row';

/**
 * One JSONEachRow line for the ClickHouse `events` table. The 64-bit ids are written as bare
 * integer literals (JSON numbers would lose precision past 2^53; ClickHouse reads them exactly).
 */
export function serializeEventRow(row: EventRow): string {
  const { visitor_id, session_id, ...rest } = row;
  const parts = eventRowParts(rest);
  return parts.prefixFor(visitor_id) + session_id.toString() + parts.suffix;
}

/**
 * A row line split around its session id, for when the session is decided later (by Redis, in
 * the same script that appends the line): `prefixFor(visitor) + sessionId + suffix` is the line.
 */
export function eventRowParts(row: Omit<EventRow, 'visitor_id' | 'session_id'>): EventRowParts {
  const { event_id, ...rest } = row;
  return eventRowPartsOf(event_id, rest);
}

export interface EventRowParts {
  prefixFor(visitorId: bigint): string;
  suffix: string;
}

/** As eventRowParts, for a row given as its id and the other columns (no object copied: ingest's hot path). */
export function eventRowPartsOf(
  eventId: bigint,
  columns: Omit<EventRow, 'event_id' | 'visitor_id' | 'session_id'>,
): EventRowParts {
  const head = `{"event_id":${eventId.toString()},"visitor_id":`;
  return {
    prefixFor: (visitorId) => `${head}${visitorId.toString()},"session_id":`,
    suffix: `,${JSON.stringify(columns).slice(1)}`,
  };
}

/** `YYYY-MM-DD hh:mm:ss` in UTC, the text form of a DateTime('UTC') column. */
export function formatClickHouseDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
