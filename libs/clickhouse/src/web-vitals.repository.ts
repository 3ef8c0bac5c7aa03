import { Readable } from 'node:stream';
import type { ClickHouseClient } from './clickhouse-client';
import type { StoredEventKey } from './events.repository';
import { joinSql, sql } from './sql-literal';

/**
 * Writes `web_vitals` rows for the flusher: the same two calls as EventsRepository (a streamed
 * JSONEachRow insert, and which ids of a retried batch are already stored), on the vitals table.
 */
export class WebVitalsRepository {
  constructor(private readonly client: ClickHouseClient) {}

  async insertJsonLines(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    const result = await this.client.exec({
      query: 'INSERT INTO web_vitals FORMAT JSONEachRow',
      values: Readable.from([lines.join('\n') + '\n']),
    });
    result.stream.resume();
    await new Promise<void>((resolve, reject) => {
      result.stream.once('end', resolve);
      result.stream.once('error', reject);
    });
  }

  async findStoredEventIds(keys: readonly StoredEventKey[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const siteIds = [...new Set(keys.map((k) => k.siteId))];
    const times = keys.map((k) => k.timestamp).sort();
    const rs = await this.client.query({
      query: sql`SELECT toString(event_id) AS id FROM web_vitals
        WHERE site_id IN (${joinSql(
          siteIds.map((id) => sql`${id}`),
          ', ',
        )})
          AND timestamp >= toDateTime(${times[0] ?? ''}, 'UTC') AND timestamp <= toDateTime(${times[times.length - 1] ?? ''}, 'UTC')
          AND event_id IN (${joinSql(
            keys.map((k) => sql`${k.eventId}`),
            ', ',
          )})`.text,
      format: 'JSONEachRow',
    });
    return new Set((await rs.json<{ id: string }>()).map((r) => r.id));
  }
}
