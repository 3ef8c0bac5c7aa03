import { afterAll, describe, expect, it } from 'vitest';
import { eventually, postEvent, startFlusher, startReceiver, TestContext } from '@sightline/testing';
import { TcpProxy } from '@sightline/harness';

/**
 * Postgres is not on the ingest path: while it is unreachable, events for a site the receiver
 * has seen (in this process, or in any replica: the decision is kept in Redis too) are still
 * accepted and stored, however long the outage lasts. Only domains never seen cannot be decided.
 */
describe('Postgres outage', () => {
  const ctx = new TestContext();
  afterAll(() => ctx.close());

  it('keeps accepting events for known sites, also after a receiver restart, and loses none', async () => {
    const pg = new URL(ctx.baseConfig.DATABASE_URL);
    const proxy = await TcpProxy.start({ host: pg.hostname, port: Number(pg.port || 5432) });
    const viaProxy = new URL(pg);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const config = ctx.ingestConfig({ DATABASE_URL: viaProxy.toString(), SITE_CACHE_TTL_MS: 100 });
    const site = await ctx.newSite();
    const neverSeen = await ctx.newSite();
    const send = (url: string, from: number, count: number, domain = site.domain) =>
      Promise.all(
        Array.from({ length: count }, (_, i) =>
          postEvent(url, { name: 'pageview', url: `https://${domain}/n/${from + i}`, domain }).then(
            (r) => r.status,
          ),
        ),
      );

    let receiver = await startReceiver(config);
    const flusher = startFlusher(config);
    try {
      expect(await send(receiver.url, 0, 10)).toEqual(Array(10).fill(202));

      await proxy.cut();
      await new Promise((r) => setTimeout(r, 300)); // the decision is now stale
      expect(await send(receiver.url, 10, 20)).toEqual(Array(20).fill(202));
      await new Promise((r) => setTimeout(r, 2_500)); // longer than a refresh back-off
      expect(await send(receiver.url, 30, 20)).toEqual(Array(20).fill(202));
      expect(
        await receiver.registry.getSingleMetricAsString('sightline_ingest_site_decisions_stale_total'),
      ).toMatch(/ [1-9]\d*$/m);
      // A domain no receiver has seen cannot be decided without Postgres: refused, not dropped.
      expect(await send(receiver.url, 0, 1, neverSeen.domain)).toEqual([503]);

      // A receiver started during the outage knows the site from the copy in Redis.
      await receiver.close();
      receiver = await startReceiver(config);
      expect(await send(receiver.url, 50, 20)).toEqual(Array(20).fill(202));

      await proxy.restore();
      await eventually(async () => (await send(receiver.url, 70, 1, neverSeen.domain))[0] === 202, {
        what: 'new domains decided again once Postgres is back',
      });
      await eventually(async () => (await ctx.countEvents(site.id)) === 70, {
        what: 'all 70 events of the known site stored',
        timeoutMs: 20_000,
      });
    } finally {
      await flusher.close();
      await receiver.close();
      await proxy.cut();
    }
  }, 60_000);
});
