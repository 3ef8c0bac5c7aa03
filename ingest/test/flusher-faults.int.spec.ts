import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouseClient, migrateClickHouse, sql } from '@sightline/clickhouse';
import {
  eventually,
  postEvent,
  PrivateClickHouse,
  startFlusher,
  startReceiver,
  TestContext,
} from '@sightline/testing';

describe('rows ClickHouse rejects', () => {
  const ctx = new TestContext();
  afterAll(() => ctx.close());

  it('are dead-lettered with their error while the good rows of the batch land', async () => {
    const config = ctx.ingestConfig({ FLUSH_INTERVAL_MS: 500 });
    const site = await ctx.newSite();
    const receiver = await startReceiver(config);
    const redis = new Redis(config.REDIS_URL);
    try {
      for (let i = 0; i < 10; i++)
        await postEvent(receiver.url, {
          name: 'good',
          url: `https://${site.domain}/${i}`,
          domain: site.domain,
        });
      // Two rows no receiver would write, between the good ones: one is not JSON at all, one has a
      // value ClickHouse cannot parse into its column.
      await redis.xadd(config.EVENTS_STREAM, '*', 'r', 'this is not a row');
      await redis.xadd(
        config.EVENTS_STREAM,
        '*',
        'r',
        `{"site_id":${site.id},"timestamp":"not a time","name":"bad"}`,
      );
      for (let i = 10; i < 20; i++)
        await postEvent(receiver.url, {
          name: 'good',
          url: `https://${site.domain}/${i}`,
          domain: site.domain,
        });

      const flusher = startFlusher(config);
      try {
        await eventually(async () => (await ctx.countEvents(site.id, sql`name = 'good'`)) === 20, {
          what: '20 good rows',
        });
        await eventually(async () => (await redis.xlen(config.EVENTS_STREAM)) === 0, {
          what: 'stream drained',
        });
        const dead = (await redis.xrange(`${config.EVENTS_STREAM}:dead`, '-', '+')).map(
          ([, fields]) => fields,
        );
        expect(dead).toHaveLength(2);
        expect(dead.map((f) => f[f.indexOf('r') + 1])).toEqual([
          'this is not a row',
          expect.stringContaining('not a time'),
        ]);
        for (const fields of dead) expect(fields[fields.indexOf('error') + 1]).toMatch(/Code: \d+/);
        expect(await ctx.countEvents(site.id, sql`name = 'bad'`)).toBe(0);
        expect(
          await flusher.registry.getSingleMetricAsString('sightline_flusher_dead_lettered_total'),
        ).toMatch(/ 2$/m);
      } finally {
        await flusher.close();
      }
    } finally {
      redis.disconnect();
      await receiver.close();
    }
  });
});

describe('ClickHouse outage', () => {
  const ctx = new TestContext();
  afterAll(() => ctx.close());

  it('keeps events in the stream, reports why it is not ready, and drains everything when ClickHouse returns', async () => {
    const dataDir = join(process.env.TEST_CLICKHOUSE_DATA_DIR ?? '/tmp', '..', `outage-${ctx.runId}`);
    const server = await PrivateClickHouse.start({ dataDir, logName: 'clickhouse-outage' });
    const url = server.url;
    const database = 'outage_test';
    const admin = createClickHouseClient({ url, database: 'default' });
    const client = createClickHouseClient({ url, database });
    await migrateClickHouse(admin, client, database);

    const config = ctx.ingestConfig({
      CLICKHOUSE_URL: url,
      CLICKHOUSE_DATABASE: database,
      FLUSH_MAX_BACKOFF_MS: 500,
    });
    const site = await ctx.newSite();
    const receiver = await startReceiver(config);
    const flusher = startFlusher(config);
    const count = async () => {
      const rs = await client.query({
        query: sql`SELECT count() AS c FROM events WHERE site_id = ${site.id}`.text,
        format: 'JSONEachRow',
      });
      return Number((await rs.json<{ c: string }>())[0]?.c ?? 0);
    };
    try {
      await server.stop();
      for (let i = 0; i < 30; i++) {
        const res = await postEvent(receiver.url, {
          name: 'pageview',
          url: `https://${site.domain}/${i}`,
          domain: site.domain,
        });
        expect(res.status).toBe(202);
      }
      const reason = await eventually(() => flusher.readiness.notReadyReason(), {
        what: 'flusher not ready',
      });
      expect(reason).toMatch(/clickhouse|insert/i);
      expect(await flusher.registry.getSingleMetricAsString('sightline_flusher_stream_backlog')).toMatch(
        / 30$/m,
      );

      await server.start();
      await eventually(async () => (await count()) === 30, {
        what: 'backlog drained into ClickHouse',
        timeoutMs: 30_000,
      });
      await eventually(async () => (await flusher.readiness.notReadyReason()) === null, {
        what: 'flusher ready again',
      });
      expect(await count()).toBe(30);
    } finally {
      await receiver.close();
      await flusher.close();
      await admin.close();
      await client.close();
      await server.stop();
    }
  });
});
