import type { AddressInfo } from 'node:net';
import type { IngestConfig } from '@sightline/config';
import { createFlusher, createReceiver } from '@sightline/ingest';
import { TestContext } from './test-context';

/** The real receiver on an ephemeral loopback port, in this process. */
export async function startReceiver(config: IngestConfig) {
  const receiver = await createReceiver(config);
  await receiver.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = receiver.app.server.address() as AddressInfo;
  return { ...receiver, url: `http://127.0.0.1:${port}` };
}

/** The real flusher loop, in this process. */
export function startFlusher(config: IngestConfig) {
  const flusher = createFlusher(config);
  flusher.start();
  return flusher;
}

/** The receiver and the flusher on one config, in this process: an event's whole path to ClickHouse. */
export async function startPipeline(config: IngestConfig) {
  const receiver = await startReceiver(config);
  const flusher = startFlusher(config);
  return {
    receiver,
    flusher,
    url: receiver.url,
    /** Stops the receiver, then the flusher. */
    async close(): Promise<void> {
      await receiver.close();
      await flusher.close();
    },
  };
}

/**
 * A spec file's ingest pipeline: startPipeline on the config of its own TestContext (own stream,
 * consumer group and ports; `overrides` on top) and a fresh site. `start()` in beforeAll,
 * `stop()` in afterAll (which also closes the context).
 */
export class IngestPipeline {
  readonly ctx = new TestContext();
  site!: Awaited<ReturnType<TestContext['newSite']>>;
  private running: Awaited<ReturnType<typeof startPipeline>> | undefined;

  constructor(private readonly overrides: Partial<IngestConfig> = {}) {}

  get receiver() {
    return this.started().receiver;
  }
  get flusher() {
    return this.started().flusher;
  }
  /** The receiver's base URL. */
  get url(): string {
    return this.started().url;
  }

  async start(): Promise<this> {
    this.running = await startPipeline(this.ctx.ingestConfig(this.overrides));
    this.site = await this.ctx.newSite();
    return this;
  }

  async stop(): Promise<void> {
    await this.running?.close();
    await this.ctx.close();
  }

  private started() {
    if (!this.running) throw new Error('the ingest pipeline is not started');
    return this.running;
  }
}

export const DESKTOP_CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** POSTs one event the way the tracker does (text/plain JSON). */
export function postEvent(
  baseUrl: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return postBeacon(`${baseUrl}/api/event`, body, headers);
}

/** POSTs one page load's web vitals the way the tracker's vitals extension does (text/plain JSON). */
export function postVitals(
  baseUrl: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return postBeacon(`${baseUrl}/api/vitals`, body, headers);
}

function postBeacon(url: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': DESKTOP_CHROME_UA, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Resolves once a process started elsewhere answers `/healthz` on `baseUrl`. */
export async function waitForHealthy(baseUrl: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${baseUrl} did not become healthy within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
