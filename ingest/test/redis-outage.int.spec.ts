import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from '@sightline/clickhouse';
import { createReceiver } from '@sightline/ingest';
import {
  eventually,
  freeLoopbackPort,
  postEvent,
  PrivateRedis,
  spawnIngestProcess,
  waitForHealthy,
  startFlusher,
  startReceiver,
  TestContext,
} from '@sightline/testing';

async function spoolBytes(dir: string): Promise<number> {
  const files = await readdir(dir).catch(() => []);
  const spool = files.find((f) => f === 'events.spool');
  return spool ? (await stat(join(dir, spool))).size : 0;
}

/** Redis stopped while events keep coming: 202s come from the disk spool, and nothing is lost. */
describe('Redis outage', () => {
  const ctx = new TestContext();
  afterAll(() => ctx.close());

  const send = (url: string, domain: string, from: number, count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        postEvent(url, { name: 'pageview', url: `https://${domain}/seq/${from + i}`, domain }).then(
          (r) => r.status,
        ),
      ),
    );

  async function distinctPaths(siteId: number): Promise<{ distinct: number; total: number }> {
    const rs = await ctx.clickhouse.query({
      query: sql`SELECT uniqExact(pathname) AS d, count() AS t FROM events WHERE site_id = ${siteId}`.text,
      format: 'JSONEachRow',
    });
    const row = (await rs.json<{ d: string; t: string }>())[0];
    return { distinct: Number(row?.d ?? 0), total: Number(row?.t ?? 0) };
  }

  it('spools while Redis is down and drains in order when it returns, losing nothing', async () => {
    const redis = await PrivateRedis.start();
    const config = ctx.ingestConfig({ REDIS_URL: redis.url });
    const site = await ctx.newSite();
    const receiver = await startReceiver(config);
    const flusher = startFlusher(config);
    try {
      expect(await send(receiver.url, site.domain, 0, 20)).toEqual(Array(20).fill(202));
      await eventually(async () => (await distinctPaths(site.id)).distinct === 20, {
        what: 'first 20 stored',
      });

      await redis.kill();
      const during = await send(receiver.url, site.domain, 20, 30);
      expect(during).toEqual(Array(30).fill(202)); // acknowledged from the fsync'd spool
      expect(await spoolBytes(config.INGEST_SPOOL_DIR)).toBeGreaterThan(0);
      expect(
        await receiver.registry.getSingleMetricAsString('sightline_ingest_events_spooled_total'),
      ).toMatch(/ 30$/m);
      expect((await fetch(`${receiver.url}/readyz`)).status).toBe(200); // still taking events
      expect(await receiver.registry.getSingleMetricAsString('sightline_ingest_spool_backlog_bytes')).toMatch(
        / [1-9]\d*$/m,
      );

      // Redis comes back empty (no persistence here): the flusher recreates its group, the
      // receiver drains the spool into the new stream.
      await redis.start();
      await eventually(async () => (await distinctPaths(site.id)).distinct === 50, {
        what: 'all 50 stored',
        timeoutMs: 30_000,
      });
      expect((await distinctPaths(site.id)).total).toBe(50);
      await eventually(async () => (await spoolBytes(config.INGEST_SPOOL_DIR)) === 0, {
        what: 'spool truncated',
      });
    } finally {
      await receiver.close();
      await flusher.close();
      await redis.kill();
    }
  });

  it('answers 503 with Retry-After, never 202, once the spool is full', async () => {
    const redis = await PrivateRedis.start();
    const config = ctx.ingestConfig({ REDIS_URL: redis.url, INGEST_SPOOL_MAX_BYTES: 3000 });
    const site = await ctx.newSite();
    const receiver = await startReceiver(config);
    try {
      await redis.kill();
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await postEvent(receiver.url, {
          name: 'pageview',
          url: `https://${site.domain}/full/${i}`,
          domain: site.domain,
        });
        statuses.push(res.status);
        if (res.status === 503) {
          expect(res.headers.get('retry-after')).toBe('5');
          expect(await res.json()).toMatchObject({ error: { code: 'unavailable' } });
        }
      }
      const accepted = statuses.filter((s) => s === 202).length;
      expect(accepted).toBeGreaterThan(0);
      expect(statuses.slice(accepted)).toEqual(Array(20 - accepted).fill(503)); // full means full
      expect(await spoolBytes(config.INGEST_SPOOL_DIR)).toBeLessThanOrEqual(3000);
      expect((await fetch(`${receiver.url}/readyz`)).status).toBe(503);
    } finally {
      await receiver.close();
      await redis.kill();
    }
  });

  it('drains a spool left by a stopped receiver when the next one starts', async () => {
    const redis = await PrivateRedis.start();
    const config = ctx.ingestConfig({ REDIS_URL: redis.url });
    const site = await ctx.newSite();
    const first = await startReceiver(config);
    await redis.kill();
    expect(await send(first.url, site.domain, 0, 15)).toEqual(Array(15).fill(202));
    await first.close();
    expect(await spoolBytes(config.INGEST_SPOOL_DIR)).toBeGreaterThan(0);

    await redis.start();
    const second = await startReceiver(config);
    const flusher = startFlusher(config);
    try {
      await eventually(async () => (await distinctPaths(site.id)).distinct === 15, {
        what: 'spooled events stored',
      });
      expect((await distinctPaths(site.id)).total).toBe(15);
    } finally {
      await second.close();
      await flusher.close();
      await redis.kill();
    }
  });

  it('leaves rotation when Redis comes back with an evicting policy', async () => {
    const redis = await PrivateRedis.start();
    const receiver = await startReceiver(ctx.ingestConfig({ REDIS_URL: redis.url }));
    try {
      expect((await fetch(`${receiver.url}/readyz`)).status).toBe(200);
      await redis.kill();
      await redis.start(['--maxmemory-policy', 'allkeys-lru']);
      const body = await eventually(
        async () => {
          const res = await fetch(`${receiver.url}/readyz`);
          return res.status === 503 ? ((await res.json()) as { reason: string }) : null;
        },
        { what: 'not ready' },
      );
      expect(body.reason).toMatch(/allkeys-lru/);
    } finally {
      await receiver.close();
      await redis.kill();
    }
  });

  it('refuses to start against an evicting Redis unless explicitly allowed', async () => {
    const redis = await PrivateRedis.start({ flags: ['--maxmemory-policy', 'allkeys-lru'] });
    try {
      await expect(createReceiver(ctx.ingestConfig({ REDIS_URL: redis.url }))).rejects.toThrow(
        /allkeys-lru.*noeviction/,
      );
      const allowed = await createReceiver(
        ctx.ingestConfig({ REDIS_URL: redis.url, ALLOW_EVICTING_REDIS: true }),
      );
      await allowed.close();
    } finally {
      await redis.kill();
    }
  });
});

describe('receiver killed with -9 while spooling', () => {
  const ctx = new TestContext();
  afterAll(() => ctx.close());

  it('loses no acknowledged event: the next receiver drains the spool on start', async () => {
    const redis = await PrivateRedis.start();
    const port = await freeLoopbackPort();
    const config = ctx.ingestConfig({
      REDIS_URL: redis.url,
      INGEST_PORT: port,
      INGEST_METRICS_PORT: await freeLoopbackPort(),
    });
    const site = await ctx.newSite();
    const url = `http://127.0.0.1:${port}`;
    await redis.kill();
    const doomed = spawnIngestProcess('receiver', config);
    await waitForHealthy(url);
    const acknowledged: number[] = [];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        postEvent(url, { name: 'pageview', url: `https://${site.domain}/k/${i}`, domain: site.domain }).then(
          (r) => {
            if (r.status === 202) acknowledged.push(i);
          },
        ),
      ),
    );
    doomed.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');
    expect(acknowledged).toHaveLength(40);

    await redis.start();
    const next = await startReceiver(config);
    const flusher = startFlusher(config);
    try {
      await eventually(async () => (await ctx.countEvents(site.id)) >= 40, {
        what: 'spooled events stored',
        timeoutMs: 20_000,
      });
      const rows = await ctx.events<{ pathname: string }>(site.id);
      expect(new Set(rows.map((r) => r.pathname))).toEqual(new Set(acknowledged.map((i) => `/k/${i}`)));
      expect(rows).toHaveLength(40);
    } finally {
      await next.close();
      await flusher.close();
      await redis.kill();
    }
  });
});
