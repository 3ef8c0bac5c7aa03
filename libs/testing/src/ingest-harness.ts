import type { AddressInfo } from 'node:net';
import type { IngestConfig } from '@sightline/config';
import { createFlusher, createReceiver } from '@sightline/ingest';

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

export const DESKTOP_CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** POSTs one event the way the tracker does (text/plain JSON). */
export function postEvent(
  baseUrl: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${baseUrl}/api/event`, {
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
