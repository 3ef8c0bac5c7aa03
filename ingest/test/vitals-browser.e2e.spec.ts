import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { sql } from '@sightline/clickhouse';
import { DESKTOP_CHROME_UA, eventually, startFlusher, startReceiver, TestContext } from '@sightline/testing';

/**
 * The vitals extension in a real Chromium: a page loads /js/script.vitals.js from the receiver,
 * paints, shifts its layout, gets a slow click, and is left — and one row with LCP, INP, CLS, FCP
 * and TTFB lands in ClickHouse through the Redis stream and the flusher.
 */
describe('browser → /js/script.vitals.js → /api/vitals → ClickHouse web_vitals', () => {
  const ctx = new TestContext();
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let flusher: ReturnType<typeof startFlusher>;
  let server: Server;
  let pageUrl: string;
  let browser: Browser;
  let site: { id: number; domain: string };

  beforeAll(async () => {
    const config = ctx.ingestConfig();
    receiver = await startReceiver(config);
    flusher = startFlusher(config);
    site = await ctx.newSite();
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>Vitals</title>
      <script defer data-domain="${site.domain}" data-allow-localhost src="${receiver.url}/js/script.vitals.js"></script>
      </head><body>
      <h1>Kites for every wind</h1>
      <p id="late"></p>
      <p>${'A paragraph large enough to be the largest contentful paint. '.repeat(20)}</p>
      <button id="slow">Slow button</button>
      <script>
        // A late insertion above content shifts the layout (CLS > 0).
        setTimeout(() => { document.getElementById('late').style.height = '200px'; }, 300);
        // A click handler that blocks the main thread for ~120 ms: an interaction for INP.
        document.getElementById('slow').addEventListener('click', () => {
          const end = performance.now() + 120;
          while (performance.now() < end) {}
          document.getElementById('slow').textContent = 'Clicked';
        });
      </script></body></html>`;
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/kites?ref=test`;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      // On the command line, not only per context: the beacon sent while the page unloads carries the
      // browser's own user agent (HeadlessChrome, which ingest drops as a bot) otherwise.
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        `--user-agent=${DESKTOP_CHROME_UA}`,
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await receiver?.close();
    await flusher?.close();
    await ctx.close();
  });

  it('reports LCP, INP, CLS, FCP and TTFB once, when the page is left', async () => {
    const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA });
    const page = await context.newPage();
    const beacons: { status: number; body: string }[] = [];
    page.on('requestfinished', (req) => {
      if (req.url().endsWith('/api/vitals'))
        void req
          .response()
          .then((res) => beacons.push({ status: res?.status() ?? 0, body: req.postData() ?? '' }));
    });
    await page.goto(pageUrl);
    await page.waitForTimeout(600); // the layout shift
    await page.locator('#slow').click();
    await page.getByText('Clicked').waitFor();
    await page.waitForTimeout(500); // the interaction's timing entry follows the next paint
    expect(beacons).toEqual([]); // nothing is sent while the page is visible
    await page.goto('about:blank'); // page hide: the final values go out
    await context.close();

    const rows = await eventually(
      async () => {
        const rs = await ctx.clickhouse.query({
          query:
            sql`SELECT pathname, device, browser, lcp, inp, cls, fcp, ttfb FROM web_vitals WHERE site_id = ${site.id}`
              .text,
          format: 'JSONEachRow',
        });
        const stored = await rs.json<Record<string, number | string>>();
        return stored.length > 0 ? stored : null;
      },
      { what: 'a vitals row in ClickHouse', timeoutMs: 30_000 },
    );
    expect(rows).toHaveLength(1);
    const row = rows[0] as Record<string, number | string>;
    expect(row).toMatchObject({ pathname: '/kites', device: 'Desktop', browser: 'Chrome' });
    expect(Number(row.lcp)).toBeGreaterThan(0);
    expect(Number(row.fcp)).toBeGreaterThan(0);
    expect(Number(row.fcp)).toBeLessThanOrEqual(Number(row.lcp));
    expect(Number(row.ttfb)).toBeGreaterThanOrEqual(0);
    expect(Number(row.ttfb)).toBeLessThanOrEqual(Number(row.fcp));
    expect(Number(row.cls)).toBeGreaterThan(0);
    // The blocked click handler makes the interaction at least ~120 ms long.
    expect(Number(row.inp)).toBeGreaterThanOrEqual(100);
  });
});
