import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  eventually,
  freeLoopbackPort,
  postEvent,
  PrivateRedis,
  spawnIngestProcess,
  startFlusher,
  TestContext,
} from '@sightline/testing';

/** The processes whose parent is `pid` (a cluster primary's workers). */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
  }
  return children;
}

async function spoolBytes(dir: string): Promise<number> {
  return (await stat(join(dir, 'events.spool')).catch(() => null))?.size ?? 0;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** INGEST_WORKERS > 1: one primary, workers sharing the public port, each with its own spool. */
describe('receiver as several processes (INGEST_WORKERS)', () => {
  const ctx = new TestContext();
  afterAll(() => ctx.close());

  async function clusterConfig(redisUrl?: string) {
    const port = await freeLoopbackPort();
    const metricsPort = await freeLoopbackPort();
    const config = ctx.ingestConfig({
      INGEST_WORKERS: 2,
      INGEST_PORT: port,
      INGEST_METRICS_PORT: metricsPort,
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    });
    return { config, url: `http://127.0.0.1:${port}`, internal: `http://127.0.0.1:${metricsPort}` };
  }

  const send = (url: string, domain: string, from: number, count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        postEvent(url, { name: 'pageview', url: `https://${domain}/w/${from + i}`, domain }).then(
          (r) => r.status,
        ),
      ),
    );

  const ready = async (internal: string) =>
    (await fetch(`${internal}/readyz`).then(
      (r) => r.status,
      () => 0,
    )) === 200;

  const acceptedTotal = async (internal: string) => {
    const text = await fetch(`${internal}/metrics`).then((r) => r.text());
    const line = text.split('\n').find((l) => l.startsWith('sightline_ingest_events_accepted_total'));
    return Number(line?.slice(line.lastIndexOf(' ') + 1) ?? Number.NaN);
  };

  it('sums the workers on the internal port, replaces a worker that dies, and takes its workers along when killed', async () => {
    const { config, url, internal } = await clusterConfig();
    const site = await ctx.newSite();
    const receiver = spawnIngestProcess('receiver', config);
    const flusher = startFlusher(config);
    try {
      await eventually(() => ready(internal), { what: 'cluster ready', timeoutMs: 30_000 });
      const workers = await childrenOf(receiver.pid ?? 0);
      expect(workers).toHaveLength(2);

      expect(await send(url, site.domain, 0, 40)).toEqual(Array(40).fill(202));
      expect(await acceptedTotal(internal)).toBe(40);

      // A worker dies: the primary starts another in its slot, and no request is refused meanwhile
      // for long (the other worker takes the connections).
      process.kill(workers[0] ?? 0, 'SIGKILL');
      await eventually(
        async () => {
          const now = await childrenOf(receiver.pid ?? 0);
          return now.length === 2 && !now.includes(workers[0] ?? 0) && (await ready(internal));
        },
        { what: 'worker replaced', timeoutMs: 30_000 },
      );
      expect(await send(url, site.domain, 40, 20)).toEqual(Array(20).fill(202));
      await eventually(async () => (await ctx.countEvents(site.id)) === 60, { what: '60 stored' });

      // kill -9 of the primary (a node failure): its workers leave too, freeing the port.
      const last = await childrenOf(receiver.pid ?? 0);
      receiver.kill('SIGKILL');
      await receiver.exited;
      await eventually(async () => last.every((pid) => !alive(pid)), {
        what: 'workers gone',
        timeoutMs: 10_000,
      });
      expect(await ctx.countEvents(site.id)).toBe(60);
    } finally {
      if (receiver.exitCode === null && receiver.signalCode === null) receiver.kill('SIGKILL');
      await flusher.close();
    }
  });

  it('spools per worker while Redis is down; after a kill -9 a receiver with fewer workers drains every spool', async () => {
    const redis = await PrivateRedis.start();
    const { config, url, internal } = await clusterConfig(redis.url);
    const site = await ctx.newSite();
    await redis.kill();
    const doomed = spawnIngestProcess('receiver', config);
    let next: ReturnType<typeof spawnIngestProcess> | null = null;
    let flusher: Awaited<ReturnType<typeof startFlusher>> | null = null;
    try {
      await eventually(() => ready(internal), { what: 'cluster ready (spooling)', timeoutMs: 30_000 });
      expect(await send(url, site.domain, 0, 40)).toEqual(Array(40).fill(202));
      // Each worker wrote its own spool (a spool file has exactly one writer).
      expect(await spoolBytes(config.INGEST_SPOOL_DIR)).toBeGreaterThan(0);
      expect(await spoolBytes(join(config.INGEST_SPOOL_DIR, 'worker-1'))).toBeGreaterThan(0);
      doomed.kill('SIGKILL');
      await doomed.exited;

      await redis.start();
      // INGEST_WORKERS lowered to 1: its only process drains worker-1's spool as well as its own.
      next = spawnIngestProcess('receiver', { ...config, INGEST_WORKERS: 1 });
      flusher = startFlusher(config);
      await eventually(async () => (await ctx.countEvents(site.id)) >= 40, {
        what: 'both spools drained and stored',
        timeoutMs: 30_000,
      });
      const rows = await ctx.events<{ pathname: string }>(site.id);
      expect(new Set(rows.map((r) => r.pathname)).size).toBe(40);
      expect(rows).toHaveLength(40);
      await eventually(
        async () =>
          (await spoolBytes(config.INGEST_SPOOL_DIR)) === 0 &&
          (await spoolBytes(join(config.INGEST_SPOOL_DIR, 'worker-1'))) === 0,
        { what: 'both spools truncated' },
      );
    } finally {
      if (doomed.exitCode === null && doomed.signalCode === null) doomed.kill('SIGKILL');
      next?.kill('SIGTERM');
      await next?.exited;
      await flusher?.close();
      await redis.kill();
    }
  });
});
