import { createServer, type Server } from 'node:http';

export interface Readiness {
  /** `null` when ready, else a short human-readable reason shown by /readyz. */
  notReadyReason(): Promise<string | null>;
}

/**
 * The internal HTTP port of a process: /metrics for Prometheus, /healthz (the process answers)
 * and /readyz (its dependencies answer). Not meant to be exposed publicly.
 */
export async function startInternalServer(opts: {
  host: string;
  port: number;
  /** A Registry, or anything that renders one (a cluster primary's sum over its workers). */
  registry: { metrics(): Promise<string>; readonly contentType: string };
  readiness: Readiness;
}): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (path === '/readyz') {
      opts.readiness
        .notReadyReason()
        .catch(
          (err: unknown) => `readiness check failed: ${err instanceof Error ? err.message : String(err)}`,
        )
        .then((reason) => {
          const body = reason === null ? { status: 'ready' } : { status: 'not_ready', reason };
          res.writeHead(reason === null ? 200 : 503, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        });
      return;
    }
    if (path === '/metrics') {
      opts.registry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': opts.registry.contentType }).end(text))
        .catch(() => res.writeHead(500).end());
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : opts.port;
  return {
    server,
    port: boundPort,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
