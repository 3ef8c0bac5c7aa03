import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  eventually,
  postEvent,
  spawnIngestProcess,
  TestContext,
  freeLoopbackPort,
  waitForHealthy,
} from '@sightline/testing';

/** A local stand-in for Sentry's ingestion endpoint that keeps every envelope it receives. */
async function startEnvelopeSink() {
  const envelopes: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      envelopes.push((req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString());
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    envelopes,
    dsn: `http://publickey@127.0.0.1:${port}/1`,
    close: () => new Promise((r) => server.close(r)),
  };
}

describe('error reporting', () => {
  const ctx = new TestContext();
  afterAll(() => ctx.close());

  it('reports a failed event to Sentry without the IP, user agent or page URL', async () => {
    const sink = await startEnvelopeSink();
    const port = await freeLoopbackPort();
    const site = await ctx.newSite();
    const receiver = spawnIngestProcess('receiver', {
      ...ctx.ingestConfig({ TRUSTED_PROXY_HOPS: 1 }),
      INGEST_PORT: port,
      INGEST_METRICS_PORT: await freeLoopbackPort(),
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', // unreachable: sites cannot be resolved, so 503
      SENTRY_DSN: sink.dsn,
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitForHealthy(url);
      const res = await postEvent(
        url,
        {
          name: 'pageview',
          url: `https://${site.domain}/private?email=someone%40example.com`,
          domain: site.domain,
        },
        {
          'x-forwarded-for': '203.0.113.77',
          'user-agent': 'Mozilla/5.0 UniqueAgentMarker/1.0 Chrome/131.0 Safari/537.36',
        },
      );
      expect(res.status).toBe(503);
      const envelope = await eventually(async () => sink.envelopes.find((e) => e.includes('"exception"')), {
        what: 'an error envelope',
      });
      expect(envelope).toContain('ingest-receiver');
      for (const secret of ['203.0.113.77', 'UniqueAgentMarker', 'someone', '/private'])
        expect(envelope).not.toContain(secret);
    } finally {
      receiver.kill('SIGTERM');
      await receiver.exited;
      await sink.close();
    }
  });
});
