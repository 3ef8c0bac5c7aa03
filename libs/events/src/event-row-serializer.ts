import type { EventRow } from './event-row';

/**
 * One JSONEachRow line for the ClickHouse `events` table. The 64-bit ids are written as bare
 * integer literals (JSON numbers would lose precision past 2^53; ClickHouse reads them exactly).
 */
export function serializeEventRow(row: EventRow): string {
  const { visitor_id, session_id, event_id, ...rest } = row;
  return `{"event_id":${event_id.toString()},"visitor_id":${visitor_id.toString()},"session_id":${session_id.toString()},${JSON.stringify(rest).slice(1)}`;
}

/** `YYYY-MM-DD hh:mm:ss` in UTC, the text form of a DateTime('UTC') column. */
export function formatClickHouseDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
