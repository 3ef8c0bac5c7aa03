import { afterAll, describe, expect, it } from 'vitest';
import { sql } from '@sightline/clickhouse';
import { Redis } from 'ioredis';
import {
  eventually,
  postEvent,
  spawnIngestProcess,
  startFlusher,
  startReceiver,
  TestContext,
} from '@sightline/testing';

/**
 * A flusher that dies after ClickHouse accepted a batch but before it acknowledged the stream
 * entries must not lose them, and must not store them twice: the re-delivered entries are
 * checked against ClickHouse by event id before the retry.
 */
describe('flusher killed between insert and ack', () => {
  const ctx = new TestContext();
  afterAll(() => ctx.close());

  async function sendMarkedEvents(receiverUrl: string, domain: string, run: string, count: number) {
    for (let i = 0; i < count; i++) {
      const res = await postEvent(receiverUrl, {
        name: 'marked',
        url: `https://${domain}/p${i}`,
        domain,
        props: { run, n: i },
      });
      expect(res.status).toBe(202);
    }
  }

  async function distinctMarkers(siteId: number): Promise<number> {
    const rs = await ctx.clickhouse.query({
      query:
        sql`SELECT uniqExact(pathname) AS u, count() AS c FROM events WHERE site_id = ${siteId} AND name = 'marked'`
          .text,
      format: 'JSONEachRow',
    });
    const row = (await rs.json<{ u: string; c: string }>())[0];
    return Number(row?.u ?? 0);
  }

  it.each([
    ['restarts under the same consumer name and re-reads its own pending entries', 'same'],
    ['never comes back, and another consumer reclaims its entries', 'other'],
  ])('loses nothing when it %s', async (_label, restartAs) => {
    const config = ctx.ingestConfig({
      FLUSH_RECLAIM_IDLE_MS: 500,
      FLUSH_BATCH_SIZE: 1000,
      FLUSH_INTERVAL_MS: 300,
    });
    const site = await ctx.newSite();
    const receiver = await startReceiver(config);
    const redis = new Redis(config.REDIS_URL);
    try {
      const crashing = spawnIngestProcess('flusher', { ...config, FLUSHER_FAULT: 'exit-after-insert' });
      await sendMarkedEvents(receiver.url, site.domain, restartAs, 40);
      expect(await crashing.exited).toBe('SIGKILL');
      // The crashed batch is in ClickHouse, and still pending (unacknowledged) in the stream.
      const inserted = await ctx.countEvents(site.id);
      expect(inserted).toBeGreaterThan(0);
      const pending = (await redis.xpending(config.EVENTS_STREAM, config.EVENTS_CONSUMER_GROUP)) as [
        number,
        ...unknown[],
      ];
      expect(pending[0]).toBe(inserted);

      const flusher = startFlusher(
        restartAs === 'same' ? config : { ...config, FLUSHER_CONSUMER: `${config.FLUSHER_CONSUMER}-b` },
      );
      try {
        await eventually(async () => (await distinctMarkers(site.id)) === 40, {
          what: 'all 40 events stored',
          timeoutMs: 20_000,
        });
        await eventually(async () => (await redis.xlen(config.EVENTS_STREAM)) === 0, {
          what: 'stream drained',
        });
        expect(await ctx.countEvents(site.id)).toBe(40);
        const skipped = await flusher.registry.getSingleMetricAsString(
          'sightline_flusher_duplicates_skipped_total',
        );
        expect(skipped).toMatch(new RegExp(` ${inserted}$`, 'm'));
      } finally {
        await flusher.close();
      }
    } finally {
      redis.disconnect();
      await receiver.close();
    }
  });
});

/**
 * When Redis stores an XADD but its reply is lost (Redis stopped mid-command), the receiver
 * spools the event and replays it marked `s=1`: the stream then holds the event twice, often in
 * the same batch, where checking ClickHouse alone cannot see the copy that is about to be inserted.
 */
describe('an event in the stream twice, once replayed from a spool', () => {
  const ctx = new TestContext();
  afterAll(() => ctx.close());

  it('is stored once when both copies are in the same batch', async () => {
    const config = ctx.ingestConfig({ FLUSH_BATCH_SIZE: 1000, FLUSH_INTERVAL_MS: 300 });
    const site = await ctx.newSite();
    const receiver = await startReceiver(config);
    const redis = new Redis(config.REDIS_URL);
    try {
      for (const path of ['/a', '/b']) {
        const res = await postEvent(receiver.url, {
          name: 'pageview',
          url: `https://${site.domain}${path}`,
          domain: site.domain,
        });
        expect(res.status).toBe(202);
      }
      const entries = (await redis.xrange(config.EVENTS_STREAM, '-', '+')) as [string, string[]][];
      expect(entries).toHaveLength(2);
      const line = (fields: string[]) => fields[fields.indexOf('r') + 1] as string;
      // The spool's replay of the first event, after the second one.
      await redis.xadd(config.EVENTS_STREAM, '*', 'r', line(entries[0]![1]), 's', '1');

      const flusher = startFlusher(config);
      try {
        await eventually(async () => (await redis.xlen(config.EVENTS_STREAM)) === 0, {
          what: 'stream drained',
          timeoutMs: 20_000,
        });
        expect(await ctx.countEvents(site.id)).toBe(2);
      } finally {
        await flusher.close();
      }
    } finally {
      redis.disconnect();
      await receiver.close();
    }
  });
});
