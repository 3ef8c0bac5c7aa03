/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@sightline/clickhouse';
import { DESKTOP_CHROME_UA, eventually, startFlusher, startReceiver, TestContext } from '@sightline/testing';

/**
 * A site moving from Plausible changes only the script's host: the real npm packages of
 * Plausible's trackers (`plausible-tracker` 0.3.9 and `@plausible-analytics/tracker` 0.4.6, the
 * script v36 library), bundled as they would be in an app, run in Chromium on a local page and post
 * to the running receiver; the events must land in ClickHouse with the right fields. Our own
 * script.engagement.js, served by the receiver, is driven the same way.
 *
 * Pages are served at http://<site domain>:PORT/ (mapped to 127.0.0.1), so the trackers' localhost
 * guards are not involved and the page host is the site's domain.
 */

const DOMAIN = 'plausible-compat.test';

/** Each package bundled into a browser global, exactly as an app's bundler would include it. */
async function bundle(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: __dirname, loader: 'js' },
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2017',
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

/** A long page (4000 px, no margins), so a scroll to 1280 px in a 720 px viewport is exactly 50 %. */
function page(head: string, body = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>t</title>${head}</head>
    <body style="margin:0"><div style="height:4000px">${body}</div></body></html>`;
}

describe("Plausible's own trackers → ingest → ClickHouse", () => {
  const ctx = new TestContext();
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let flusher: ReturnType<typeof startFlusher>;
  let server: Server;
  let browser: Browser;
  let siteId: number;
  let origin: string;

  beforeAll(async () => {
    const config = ctx.ingestConfig();
    receiver = await startReceiver(config);
    flusher = startFlusher(config);
    siteId = (await ctx.newSite({ domain: DOMAIN })).id;
    const scripts: Record<string, string> = {
      '/legacy.js': await bundle(
        "import Plausible from 'plausible-tracker'; window.PlausibleLegacy = Plausible;",
      ),
      '/v36.js': await bundle(
        "import { init, track } from '@plausible-analytics/tracker'; window.PlausibleV36 = { init, track };",
      ),
    };
    const api = JSON.stringify(receiver.url);
    const pages: Record<string, string> = {
      // plausible-tracker: XMLHttpRequest, short keys, p as a JSON string, w and h.
      '/legacy': page(
        `<script src="/legacy.js"></script><script>
          const p = PlausibleLegacy({ domain: ${JSON.stringify(DOMAIN)}, apiHost: ${api} });
          p.trackPageview();
          p.trackEvent('Signup', { props: { plan: 'pro', seats: 3 } });
        </script>`,
      ),
      // @plausible-analytics/tracker: fetch keepalive, p as an object, i, v, $ and engagement pings.
      '/v36': page(
        `<script src="/v36.js"></script><script>
          PlausibleV36.init({ domain: ${JSON.stringify(DOMAIN)}, endpoint: ${api} + '/api/event' });
          PlausibleV36.track('Purchase', {
            props: { sku: 'A-1' },
            revenue: { amount: 29.5, currency: 'EUR' },
            interactive: false,
          });
        </script>`,
      ),
      '/sightline': page(
        `<script defer src="${receiver.url}/js/script.engagement.js" data-domain="${DOMAIN}"></script>`,
        '<a id="next" href="/sightline/next" onclick="history.pushState({}, \'\', this.href); return false">next</a>',
      ),
    };
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const script = scripts[path];
      if (script) return res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      const html = pages[path.startsWith('/sightline') ? '/sightline' : path];
      if (html) return res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      res.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://${DOMAIN}:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        `--host-resolver-rules=MAP ${DOMAIN} 127.0.0.1`,
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

  async function openPage(): Promise<{ page: Page; statuses: number[] }> {
    const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA });
    // Script v36 stays quiet under automation (navigator.webdriver) unless the page sets this flag.
    await context.addInitScript(() => {
      (window as unknown as { __plausible: boolean }).__plausible = true;
    });
    const page = await context.newPage();
    const statuses: number[] = [];
    page.on('response', (res) => {
      if (res.url().endsWith('/api/event')) statuses.push(res.status());
    });
    return { page, statuses };
  }

  /** Hides the page as a tab switch does (headless tabs never become hidden by themselves). */
  async function hide(page: Page): Promise<void> {
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
  }

  async function rows(pathPrefix: string): Promise<Record<string, unknown>[]> {
    const rs = await ctx.clickhouse.query({
      query: sql`SELECT name, hostname, pathname, referrer_source, props_keys, props_values,
          toFloat64(revenue_amount) AS revenue_amount, revenue_currency, scroll_depth, engagement_time,
          browser, device
        FROM events WHERE site_id = ${siteId} AND like(pathname, ${`${pathPrefix}%`})
        ORDER BY pathname, name`.text,
      format: 'JSONEachRow',
    });
    return rs.json();
  }

  it('stores what plausible-tracker sends: pageview and a custom event with stringified props', async () => {
    const { page, statuses } = await openPage();
    await page.goto(`${origin}/legacy?utm_source=newsletter`);
    await eventually(async () => (await rows('/legacy')).length >= 2, {
      what: 'two legacy events',
      timeoutMs: 20_000,
    });
    await page.context().close();
    expect(statuses.every((s) => s === 202)).toBe(true);
    const stored = await rows('/legacy');
    expect(stored).toHaveLength(2);
    const byName = Object.fromEntries(stored.map((r) => [r.name, r]));
    expect(byName.pageview).toMatchObject({
      hostname: DOMAIN,
      pathname: '/legacy',
      referrer_source: 'newsletter',
      browser: 'Chrome',
      device: 'Desktop',
      props_keys: [],
    });
    expect(byName.Signup).toMatchObject({
      pathname: '/legacy',
      props_keys: ['plan', 'seats'],
      props_values: ['pro', '3'],
    });
  });

  it('stores what @plausible-analytics/tracker (script v36) sends, engagement pings included', async () => {
    const { page, statuses } = await openPage();
    await page.goto(`${origin}/v36`);
    await eventually(async () => (await rows('/v36')).length >= 2, {
      what: 'pageview and Purchase',
      timeoutMs: 20_000,
    });
    await page.evaluate(() => window.scrollTo(0, 1280));
    await page.waitForFunction(() => window.scrollY === 1280);
    await page.waitForTimeout(300); // engaged time passes
    await hide(page);
    await eventually(async () => (await rows('/v36')).some((r) => r.name === 'engagement'), {
      what: 'the engagement ping',
      timeoutMs: 20_000,
    });
    await page.context().close();
    expect(statuses.every((s) => s === 202)).toBe(true);
    const stored = await rows('/v36');
    expect(stored.map((r) => r.name).sort()).toEqual(['Purchase', 'engagement', 'pageview']);
    const byName = Object.fromEntries(stored.map((r) => [r.name, r]));
    expect(byName.pageview).toMatchObject({ hostname: DOMAIN, pathname: '/v36', scroll_depth: 0 });
    expect(byName.Purchase).toMatchObject({
      props_keys: ['sku'],
      props_values: ['A-1'],
      revenue_amount: 29.5,
      revenue_currency: 'EUR',
    });
    // (1280 + 720) / 4000 px scrolled; at least the 300 ms waited above were engaged.
    expect(byName.engagement).toMatchObject({ pathname: '/v36', scroll_depth: 50 });
    expect(Number(byName.engagement?.engagement_time)).toBeGreaterThanOrEqual(300);
  });

  it('stores the pings of our script.engagement.js: on SPA navigation for the page left, and on hide', async () => {
    const { page, statuses } = await openPage();
    await page.goto(`${origin}/sightline`);
    await eventually(async () => (await rows('/sightline')).length >= 1, {
      what: 'the pageview',
      timeoutMs: 20_000,
    });
    await page.evaluate(() => window.scrollTo(0, 1280));
    await page.waitForFunction(() => window.scrollY === 1280);
    await page.waitForTimeout(300);
    await page.click('#next'); // pushState: a ping for /sightline, then a pageview of /sightline/next
    await page.evaluate(() => window.scrollTo(0, 3280)); // the bottom: 100 %
    await page.waitForFunction(() => window.scrollY === 3280);
    await hide(page);
    await eventually(async () => (await rows('/sightline')).length >= 4, {
      what: 'two pings',
      timeoutMs: 20_000,
    });
    await page.context().close();
    expect(statuses.every((s) => s === 202)).toBe(true);
    const stored = await rows('/sightline');
    expect(stored.map((r) => [r.pathname, r.name, r.scroll_depth])).toEqual([
      ['/sightline', 'engagement', 50],
      ['/sightline', 'pageview', 0],
      ['/sightline/next', 'engagement', 100],
      ['/sightline/next', 'pageview', 0],
    ]);
    expect(Number(stored[0]?.engagement_time)).toBeGreaterThanOrEqual(300);
  });
});
