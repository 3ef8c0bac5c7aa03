import { Readable } from 'node:stream';
import type { ClickHouseClient } from './clickhouse-client';
import { joinSql, sql } from './sql-literal';

/** What identifies a row for deduplication; site and time narrow the scan to a few granules. */
export interface StoredEventKey {
  siteId: number;
  eventId: bigint;
  timestamp: string;
}

/**
 * Writes and counts raw events. Rows arrive already serialised as JSONEachRow lines (the receiver
 * serialises once; the flusher only concatenates), so an insert is one streamed request body.
 */
export class EventsRepository {
  constructor(private readonly client: ClickHouseClient) {}

  async insertJsonLines(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    const body = Readable.from(jsonLineChunks(lines));
    const result = await this.client.exec({ query: 'INSERT INTO events FORMAT JSONEachRow', values: body });
    // The response body is empty for an INSERT, but it must be consumed to release the socket.
    result.stream.resume();
    await new Promise<void>((resolve, reject) => {
      result.stream.once('end', resolve);
      result.stream.once('error', reject);
    });
  }

  /** Which of these events are already stored (as decimal strings of their ids). */
  async findStoredEventIds(keys: readonly StoredEventKey[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const siteIds = [...new Set(keys.map((k) => k.siteId))];
    const times = keys.map((k) => k.timestamp).sort();
    const ids = keys.map((k) => sql`${k.eventId}`);
    const rs = await this.client.query({
      query: sql`SELECT toString(event_id) AS id FROM events
        WHERE site_id IN (${joinSql(
          siteIds.map((id) => sql`${id}`),
          ', ',
        )})
          AND timestamp >= toDateTime(${times[0] ?? ''}, 'UTC') AND timestamp <= toDateTime(${times[times.length - 1] ?? ''}, 'UTC')
          AND event_id IN (${joinSql(ids, ', ')})`.text,
      format: 'JSONEachRow',
    });
    return new Set((await rs.json<{ id: string }>()).map((r) => r.id));
  }

  async countForSite(siteId: number): Promise<number> {
    const rs = await this.client.query({
      query: sql`SELECT count() AS c FROM events WHERE site_id = ${siteId}`.text,
      format: 'JSONEachRow',
    });
    const rows = await rs.json<{ c: string }>();
    return Number(rows[0]?.c ?? 0);
  }
}

/** Groups lines into ~64 KB chunks so the request body streams without one giant string. */
function* jsonLineChunks(lines: readonly string[]): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += line + '\n';
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
