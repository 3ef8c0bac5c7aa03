// Rows read per request, for one extra un-timed run of each case. ClickHouse 18.16 sends no
// X-ClickHouse-Summary header, so every statement of that run gets its own query id and
// `log_queries = 1`, and system.query_log is read afterwards (on 18.16 and current releases).
import { randomUUID } from 'node:crypto';
import { sql, type ClickHouseClient } from '@sightline/clickhouse';

export interface LoggedStatements {
  /** The same client, except that each query is logged under an id collected in `ids`. */
  client: ClickHouseClient;
  ids: string[];
}

export function loggingClient(client: ClickHouseClient): LoggedStatements {
  const ids: string[] = [];
  const query = (params: Parameters<ClickHouseClient['query']>[0]) => {
    const id = randomUUID();
    ids.push(id);
    return client.query({
      ...params,
      query_id: id,
      clickhouse_settings: { ...params.clickhouse_settings, log_queries: 1 },
    });
  };
  const proxy = new Proxy(client, {
    get(target, prop, receiver) {
      // The engine's only call is `query`; everything else goes to the real client untouched.
      if (prop === 'query') return query as ClickHouseClient['query'];
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { client: proxy, ids };
}

/**
 * Rows read, and ClickHouse's own user CPU time for the statements (ms; null where the server's
 * query log has no such counter). CPU is the figure that stays comparable when other work loads
 * the machine: wall times there grow with the load average, the CPU a statement needs does not.
 */
export type RowsRead = { rows: number; cpuMs: number | null } | { rows: null; reason: string };

/**
 * Sum of rows read by these statements, or why there is no figure (no query log). The
 * QueryStart row has read_rows = 0 and the QueryFinish row the total, so max() per id picks the
 * total without comparing `type` (UInt8 on 18.16, an Enum on current releases).
 */
export async function rowsRead(client: ClickHouseClient, ids: readonly string[]): Promise<RowsRead> {
  if (ids.length === 0) return { rows: 0, cpuMs: 0 };
  let logged = 0;
  try {
    // The server may queue a statement's log entry just after its response was sent: flush and look
    // again for a moment before giving up.
    for (let attempt = 1; attempt <= 10; attempt++) {
      await client.command({ query: 'SYSTEM FLUSH LOGS' });
      const rs = await client.query({
        query: sql`SELECT count() AS statements, sum(r) AS rows FROM (
            SELECT query_id, max(read_rows) AS r FROM system.query_log WHERE has(${ids}, query_id) GROUP BY query_id
          )`.text,
        format: 'JSONEachRow',
      });
      const row = (await rs.json<{ statements: string | number; rows: string | number }>())[0];
      logged = Number(row?.statements ?? 0);
      if (logged === ids.length) return { rows: Number(row?.rows ?? 0), cpuMs: await userCpuMs(client, ids) };
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
    return { rows: null, reason: `system.query_log has ${logged} of ${ids.length} statements` };
  } catch (err) {
    return { rows: null, reason: err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err) };
  }
}

/**
 * Sum of UserTimeMicroseconds over the finished statements, in ms. 18.16 logs ProfileEvents as
 * the arrays ProfileEvents.Names / ProfileEvents.Values, current releases as a Map; null when
 * neither form answers.
 */
async function userCpuMs(client: ClickHouseClient, ids: readonly string[]): Promise<number | null> {
  const forms = [
    sql`SELECT sum(ProfileEvents.Values[indexOf(ProfileEvents.Names, 'UserTimeMicroseconds')]) AS us FROM system.query_log WHERE type = 2 AND has(${ids}, query_id)`,
    sql`SELECT sum(ProfileEvents['UserTimeMicroseconds']) AS us FROM system.query_log WHERE type = 'QueryFinish' AND has(${ids}, query_id)`,
  ];
  for (const form of forms) {
    try {
      const rs = await client.query({ query: form.text, format: 'JSONEachRow' });
      const row = (await rs.json<{ us: string | number }>())[0];
      return Number(row?.us ?? 0) / 1000;
    } catch {
      // the other server generation's form
    }
  }
  return null;
}
