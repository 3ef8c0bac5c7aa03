/**
 * Static server for the Acme Kites demo site (node:http only). It serves `public/` the way a
 * customer's host would, with one twist: `__INGEST_URL__` in HTML is replaced by the ingest
 * origin, so the embedded tracker loads from (and reports to) whichever ingest runs locally.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

export interface DemoSiteOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Origin the tracker script is loaded from, e.g. http://localhost:4100. */
  ingestUrl: string;
}

export interface DemoSite {
  url: string;
  close(): Promise<void>;
}

export const DEMO_SITE_ROOT = resolve(__dirname, 'public');
const NOT_FOUND_PAGE = join(DEMO_SITE_ROOT, '404.html');

const INGEST_PLACEHOLDER = /__INGEST_URL__/g;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
};

type Resolved = { kind: 'file'; file: string } | { kind: 'redirect'; location: string } | { kind: 'bad' };

export async function startDemoSite({ port, host, ingestUrl }: DemoSiteOptions): Promise<DemoSite> {
  const ingestOrigin = normaliseIngestUrl(ingestUrl);
  const server = createServer((req, res) => {
    handle(req, res, ingestOrigin).catch((err: unknown) => {
      // Never crash the demo on one odd request; the detail stays in the server log.
      console.error('demo-site: request failed', err);
      if (!res.headersSent) send(res, req, 500, 'text/plain; charset=utf-8', 'Internal Server Error\n');
      else res.destroy();
    });
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });

  const address = server.address() as AddressInfo;
  return {
    url: `http://${displayHost(host)}:${address.port}`,
    close: () =>
      new Promise<void>((resolveClose, rejectClose) => {
        server.close((err) => (err ? rejectClose(err) : resolveClose()));
        // Keep-alive sockets from browsers would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

/** http(s) origin plus optional path, without a trailing slash, so `${url}/js/script.js` is right. */
function normaliseIngestUrl(ingestUrl: string): string {
  let parsed: URL;
  try {
    parsed = new URL(ingestUrl);
  } catch {
    throw new TypeError(`ingestUrl must be an absolute http(s) URL, got "${ingestUrl}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`ingestUrl must be an absolute http(s) URL, got "${ingestUrl}"`);
  }
  return (parsed.origin + parsed.pathname).replace(/\/+$/, '');
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

async function handle(req: IncomingMessage, res: ServerResponse, ingestOrigin: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, req, 405, 'text/plain; charset=utf-8', 'Method Not Allowed\n');
  }

  const resolved = await resolveRequest(req.url ?? '/');
  if (resolved.kind === 'bad') return send(res, req, 400, 'text/plain; charset=utf-8', 'Bad Request\n');
  if (resolved.kind === 'redirect') {
    res.setHeader('Location', resolved.location);
    return send(res, req, 301, 'text/plain; charset=utf-8', `Moved to ${resolved.location}\n`);
  }

  const found = resolved.file !== '';
  const file = found ? resolved.file : NOT_FOUND_PAGE;
  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  let body: Buffer | string = await readFile(file);
  if (type.startsWith('text/html')) {
    body = body.toString('utf8').replace(INGEST_PLACEHOLDER, escapeHtml(ingestOrigin));
  }
  send(res, req, found ? 200 : 404, type, body);
}

/**
 * Maps a request target to a file under DEMO_SITE_ROOT ('' when there is none). Pretty URLs:
 * /pricing → pricing.html, /blog → blog/index.html; everything under /app is the SPA shell.
 */
async function resolveRequest(target: string): Promise<Resolved> {
  let url: URL;
  let pathname: string;
  try {
    // The WHATWG parser already folds literal and %2e dot segments; decoding can still yield
    // "..", "/" or "\" (from %2f, %5c), which the segment check below refuses.
    // Concatenate rather than resolve against a base: "//host/x" is a path here, not another host.
    if (!target.startsWith('/')) return { kind: 'bad' };
    url = new URL(`http://demo.invalid${target}`);
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { kind: 'bad' };
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return { kind: 'bad' };
  const segments = pathname.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.')) return { kind: 'bad' };
  // Dotfiles are never part of the site.
  if (segments.some((s) => s.startsWith('.'))) return { kind: 'file', file: '' };

  if (pathname.length > 1 && pathname.endsWith('/')) {
    // Built from the still-encoded path, and never starting with "//" (that would leave the site).
    const canonical = url.pathname.replace(/\/+$/, '').replace(/^\/+/, '/') || '/';
    return { kind: 'redirect', location: canonical + url.search };
  }

  const candidates =
    pathname === '/app' || pathname.startsWith('/app/')
      ? ['app/index.html']
      : pathname === '/'
        ? ['index.html']
        : extname(pathname)
          ? [pathname]
          : [`${pathname}.html`, `${pathname}/index.html`];

  for (const candidate of candidates) {
    const file = resolve(DEMO_SITE_ROOT, `.${candidate.startsWith('/') ? '' : '/'}${candidate}`);
    // Defence in depth: whatever slipped through above must still land inside the root.
    if (!file.startsWith(DEMO_SITE_ROOT + sep)) return { kind: 'bad' };
    // The 404 page is only ever served with status 404.
    if (file !== NOT_FOUND_PAGE && (await isFile(file))) return { kind: 'file', file };
  }
  return { kind: 'file', file: '' };
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function send(
  res: ServerResponse,
  req: IncomingMessage,
  status: number,
  type: string,
  body: Buffer | string,
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': bytes.length,
    // A dev server: always serve what is on disk now.
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
