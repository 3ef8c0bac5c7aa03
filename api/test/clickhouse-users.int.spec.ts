import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouseClient, type ClickHouseClient } from '@sightline/clickhouse';
import type { ApiConfig } from '@sightline/config';
import { ApiHarness } from './api-harness';

/** Finding 8: the API's stats queries run as a read-only ClickHouse user with limits. */
describe('ClickHouse user of the API', () => {
  const api = new ApiHarness();
  let reader: ClickHouseClient;
  let config: ApiConfig;
  beforeAll(async () => {
    await api.start();
    config = api.config;
    reader = createClickHouseClient({
      url: config.CLICKHOUSE_URL,
      database: config.CLICKHOUSE_DATABASE,
      username: config.API_CLICKHOUSE_USER,
      password: config.API_CLICKHOUSE_PASSWORD,
    });
  });
  afterAll(async () => {
    await reader.close();
    await api.stop();
  });

  it('is configured (npm test and npm start use the read-only user of libs/harness/src/stores.mjs)', () => {
    expect(config.API_CLICKHOUSE_USER).toBe('sightline_api');
    expect(config.API_CLICKHOUSE_USER).not.toBe(config.CLICKHOUSE_USER);
  });

  it('has execution-time and memory limits and cannot lift them', async () => {
    const rows = await (
      await reader.query({
        query:
          "SELECT name, value FROM system.settings WHERE name IN ('readonly', 'max_execution_time', 'max_memory_usage')",
        format: 'JSONEachRow',
      })
    ).json<{ name: string; value: string }>();
    expect(Object.fromEntries(rows.map((r) => [r.name, r.value]))).toEqual({
      readonly: '1',
      max_execution_time: '30',
      max_memory_usage: '2000000000',
    });
    await expect(
      reader.query({
        query: 'SELECT 1',
        format: 'JSONEachRow',
        clickhouse_settings: { max_execution_time: 3600 },
      }),
    ).rejects.toThrow(/readonly/i);
  });

  it('cannot write, mutate or change the schema', async () => {
    await expect(reader.command({ query: 'INSERT INTO events (site_id) VALUES (1)' })).rejects.toThrow(
      /readonly/i,
    );
    await expect(reader.command({ query: 'ALTER TABLE events DELETE WHERE site_id = 1' })).rejects.toThrow(
      /readonly/i,
    );
    await expect(reader.command({ query: 'DROP TABLE events' })).rejects.toThrow(/readonly/i);
    await expect(reader.command({ query: 'CREATE TABLE x (a UInt8) ENGINE = Memory' })).rejects.toThrow(
      /readonly/i,
    );
  });
});
