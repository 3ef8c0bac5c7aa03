import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROCHURE_PATH, DEMO_PAGES, OUTBOUND_LINKS } from '../seed/traffic-generator';
import { startDemoSite, type DemoSite } from './demo-site.server';

const INGEST = 'http://ingest.test:4100';
const SNIPPET_STUB =
  '<script>window.sightline=window.sightline||function(){(window.sightline.q=window.sightline.q||[]).push(arguments)}</script>';
const SNIPPET_TAG = `<script defer data-domain="demo.sightline.test" data-allow-localhost data-outbound-links data-file-downloads src="${INGEST}/js/script.engagement.vitals.js"></script>`;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let site: DemoSite;

/** Raw node:http request: fetch() would normalise "../" before it ever reaches the server. */
function get(path: string, method = 'GET'): Promise<Reply> {
  const { hostname, port } = new URL(site.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('latin1'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  site = await startDemoSite({ port: 0, host: '127.0.0.1', ingestUrl: `${INGEST}/` });
});

afterAll(async () => {
  await site.close();
});

describe('demo site server', () => {
  it('reports its URL with the port it got', () => {
    expect(site.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(site.url).not.toMatch(/:0$/);
  });

  it('serves every page the traffic generator visits, with the tracker snippet pointing at ingest', async () => {
    for (const path of DEMO_PAGES) {
      const reply = await get(path);
      expect(reply.status, path).toBe(200);
      expect(reply.headers['content-type'], path).toBe('text/html; charset=utf-8');
      expect(reply.body, path).toContain(SNIPPET_STUB);
      expect(reply.body, path).toContain(SNIPPET_TAG);
      expect(reply.body, path).not.toContain('__INGEST_URL__');
    }
  });

  it('has the sign-up buttons, outbound links and brochure link the generated events refer to', async () => {
    const pages = await Promise.all(DEMO_PAGES.map(async (path) => (await get(path)).body));
    const html = pages.join('\n');
    expect(html).toContain(`sightline('Signup', { props: { plan: 'pro' } })`);
    expect(html).toContain(`sightline('Signup', { props: { plan: 'free' } })`);
    for (const url of Object.values(OUTBOUND_LINKS)) expect(html).toContain(`href="${url}"`);
    expect(html).toContain(`href="${BROCHURE_PATH}"`);
  });

  it('serves the SPA shell for every /app path and its script as JavaScript', async () => {
    const shell = await get('/app/settings');
    expect(shell.body).toContain('id="app-view"');
    expect(shell.body).toContain('src="/assets/app.js"');
    const script = await get('/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toContain('history.pushState');
  });

  it('serves CSS, SVG and a real PDF with the right content types', async () => {
    const css = await get('/assets/site.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');

    expect((await get('/assets/favicon.svg')).headers['content-type']).toBe('image/svg+xml');

    const pdf = await get(BROCHURE_PATH);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.body.startsWith('%PDF-')).toBe(true);
    expect(pdf.body.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(Number(pdf.headers['content-length'])).toBe(pdf.body.length);
  });

  it('answers unknown paths with the 404 page', async () => {
    for (const path of ['/nope', '/blog/nope', '/assets/nope.css', '/.env', '/404']) {
      const reply = await get(path);
      expect(reply.status, path).toBe(404);
      expect(reply.headers['content-type'], path).toBe('text/html; charset=utf-8');
      expect(reply.body, path).toContain('This page blew away.');
      expect(reply.body, path).toContain(SNIPPET_TAG);
    }
  });

  it('rejects path traversal in every spelling without leaking files', async () => {
    const attempts = [
      '/../demo-site.server.ts',
      '/../../package.json',
      '/%2e%2e/demo-site.server.ts',
      '/%2E%2E/%2E%2E/package.json',
      '/..%2fdemo-site.server.ts',
      '/assets/..%2f..%2fdemo-site.server.ts',
      '/..%5cdemo-site.server.ts',
      '/..\\demo-site.server.ts',
      '/%2e%2e%2f%2e%2e%2fpackage.json',
      '/blog/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json',
      '/index.html%00.css',
      '/%',
    ];
    for (const path of attempts) {
      const reply = await get(path);
      expect([400, 404], path).toContain(reply.status);
      expect(reply.body, path).not.toContain('startDemoSite');
      expect(reply.body, path).not.toContain('"workspaces"');
    }
    expect((await get('/..%2f..%2fpackage.json')).status).toBe(400);
  });

  it('redirects trailing slashes to the canonical path, never off-site', async () => {
    const blog = await get('/blog/?utm_source=x');
    expect(blog.status).toBe(301);
    expect(blog.headers.location).toBe('/blog?utm_source=x');
    const sneaky = await get('//evil.example/');
    expect(sneaky.status).toBe(301);
    expect(sneaky.headers.location).toBe('/evil.example');
  });

  it('answers HEAD without a body and other methods with 405', async () => {
    const head = await get('/pricing', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);

    const post = await get('/pricing', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });
});

describe('startDemoSite options', () => {
  it('rejects an ingest URL that is not absolute http(s)', async () => {
    await expect(startDemoSite({ port: 0, host: '127.0.0.1', ingestUrl: 'localhost:4100' })).rejects.toThrow(
      TypeError,
    );
    await expect(
      startDemoSite({ port: 0, host: '127.0.0.1', ingestUrl: 'javascript:alert(1)' }),
    ).rejects.toThrow(TypeError);
  });

  it('escapes the ingest URL for HTML', async () => {
    const odd = await startDemoSite({ port: 0, host: '127.0.0.1', ingestUrl: 'http://ingest.test/a"b<c' });
    try {
      const { hostname, port } = new URL(odd.url);
      const body = await new Promise<string>((resolve, reject) => {
        request({ host: hostname, port, path: '/', agent: false }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve(text));
        })
          .on('error', reject)
          .end();
      });
      // URL parsing percent-encodes quotes and angle brackets; nothing breaks out of the attribute.
      expect(body).toContain('src="http://ingest.test/a%22b%3Cc/js/script.engagement.vitals.js"');
    } finally {
      await odd.close();
    }
  });

  it('fails to start on a port that is taken', async () => {
    const { port } = new URL(site.url);
    await expect(startDemoSite({ port: Number(port), host: '127.0.0.1', ingestUrl: INGEST })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });
});
