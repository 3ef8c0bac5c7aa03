/**
 * Browser tier for the tracking script: real headless Chromium loads pages from a local HTTP
 * server and we watch what the script sends. The event endpoint is answered by Playwright routing
 * (202, like the real receiver), so this tests the tracker alone; ingest has its own e2e test.
 *
 * Pages are served at http://site.test:PORT/ (mapped to 127.0.0.1 by --host-resolver-rules), so
 * the tracker's localhost guard is not involved unless a test asks for it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTrackerBundle } from '../src/index';

const DESKTOP_CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
/** How long a negative test waits for a request that must not come. */
const QUIET_MS = 600;

interface SentEvent {
  endpoint: string;
  method: string;
  contentType: string | undefined;
  /** `ping` for navigator.sendBeacon, `fetch` for the fetch fallback. */
  resourceType: string;
  body: {
    name: string;
    url: string;
    domain: string;
    referrer: string | null;
    sd?: number;
    e?: number;
    props?: Record<string, unknown>;
    revenue?: { amount: number | string; currency: string };
  };
}

const SNIPPET =
  '<script>window.sightline=window.sightline||function(){(window.sightline.q=window.sightline.q||[]).push(arguments)}</script>';

/** One HTML page per first path segment: /spa/anything serves the `spa` page, like an SPA host. */
function pages(): Record<string, string> {
  const tag = (attributes = '') =>
    `<script defer src="/script.js" data-domain="site.test" ${attributes}></script>`;
  const doc = (head: string, body = '') =>
    `<!doctype html><html><head><meta charset="utf-8"><title>t</title>${head}</head><body>${body}</body></html>`;
  const links = `
    <a id="outbound" href="https://elsewhere.example/landing?ref=site">elsewhere</a>
    <a id="internal" href="/links/next">internal</a>
    <a id="download" href="/files/report.pdf?token=secret"><span id="download-label">report</span></a>
    <a id="text-file" href="/files/notes.TXT">notes</a>
    <a id="no-href">no href</a>`;
  return {
    basic: doc(tag(), '<a id="next" href="/basic/next">next</a>'),
    spa: doc(tag()),
    hash: doc(tag('data-hash')),
    queued: doc(
      `${SNIPPET}<script>
        sightline('Signup', { props: { plan: 'pro' } });
        sightline('Purchase', { revenue: { amount: 29.5, currency: 'EUR' }, props: { sku: 'A-1' } });
      </script>${tag()}`,
    ),
    'custom-api': doc(tag('data-api="https://collect.example/api/event"')),
    'allow-localhost': doc(tag('data-allow-localhost')),
    links: doc(tag(), links),
    'links-outbound': doc(tag('data-outbound-links'), links),
    'links-downloads': doc(tag('data-file-downloads'), links),
    // script.engagement.js on a 4000 px page (no margins): 1280 px down in a 720 px viewport is 50 %.
    // Its events go to /collect, which the server itself records: Playwright cannot route a beacon
    // sent while the page unloads, and this test is about exactly that beacon.
    engagement: doc(
      '<script defer src="/script.engagement.js" data-domain="site.test" data-api="/collect"></script>',
      '<a id="next" href="/basic/next" style="display:block;height:20px">next</a><div style="height:3980px"></div><style>body{margin:0}</style>',
    ),
  };
}

let browser: Browser;
let server: Server;
let port: number;
let context: BrowserContext;
let page: Page;
let sent: SentEvent[];
/** Bodies posted to the page server's own /collect endpoint (the engagement page's data-api). */
const collected: SentEvent['body'][] = [];

const siteUrl = (path: string) => `http://site.test:${port}${path}`;

beforeAll(async () => {
  const { code } = await buildTrackerBundle();
  const engagementCode = (await buildTrackerBundle('engagement')).code;
  const html = pages();
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/script.js' || path === '/script.engagement.js') {
      res
        .writeHead(200, { 'content-type': 'text/javascript' })
        .end(path === '/script.js' ? code : engagementCode);
    } else if (path.startsWith('/files/')) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('file');
    } else if (path === '/collect') {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        collected.push(JSON.parse(text) as SentEvent['body']);
        res.writeHead(202).end('ok');
      });
    } else if (path === '/api/event') {
      // Only reached if routing failed to catch an event: make that visible.
      res.writeHead(500).end('unrouted');
    } else {
      const body = html[path.split('/')[1] ?? ''];
      if (body) res.writeHead(200, { 'content-type': 'text/html' }).end(body);
      else res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--host-resolver-rules=MAP site.test 127.0.0.1',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

afterEach(async () => {
  await context?.close();
});

/** A fresh context (empty storage) per test, recording every request to an /api/event endpoint. */
async function openPage(options: { initScript?: () => void } = {}): Promise<Page> {
  sent = [];
  context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA });
  await context.route('**/api/event', async (route) => {
    const request = route.request();
    sent.push({
      endpoint: request.url(),
      method: request.method(),
      contentType: request.headers()['content-type'],
      resourceType: request.resourceType(),
      body: JSON.parse(request.postData() ?? 'null') as SentEvent['body'],
    });
    await route.fulfill({ status: 202, body: 'ok' });
  });
  // External link targets, answered locally so clicks can navigate for real.
  await context.route('https://elsewhere.example/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><p>elsewhere</p>' }),
  );
  if (options.initScript) await context.addInitScript(options.initScript);
  page = await context.newPage();
  return page;
}

/** Waits until `count` events were sent, then a little longer to catch any unexpected extra one. */
async function waitForEvents(count: number): Promise<SentEvent[]> {
  await expect.poll(() => sent.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(count);
  await page.waitForTimeout(150);
  return sent;
}

async function expectNothingSent(): Promise<void> {
  await page.waitForTimeout(QUIET_MS);
  expect(sent).toEqual([]);
}

const names = () => sent.map((event) => event.body.name);

describe('tracker in Chromium', () => {
  it('sends one pageview on load with url, domain and referrer, by sendBeacon as text/plain', async () => {
    await openPage();
    await page.goto(siteUrl('/basic/?utm_source=mail#intro'));
    const [pageview] = await waitForEvents(1);
    expect(sent).toHaveLength(1);
    expect(pageview).toEqual({
      endpoint: siteUrl('/api/event'),
      method: 'POST',
      contentType: 'text/plain;charset=UTF-8',
      resourceType: 'ping',
      // Without data-hash the fragment is not part of the url; the query string is.
      body: {
        name: 'pageview',
        url: siteUrl('/basic/?utm_source=mail'),
        domain: 'site.test',
        referrer: null,
      },
    });

    // Following a link loads a new page whose referrer is the previous one.
    await page.click('#next');
    await waitForEvents(2);
    expect(sent[1]?.body).toEqual({
      name: 'pageview',
      url: siteUrl('/basic/next'),
      domain: 'site.test',
      // Same-origin referrers are the full previous url, minus its fragment.
      referrer: siteUrl('/basic/?utm_source=mail'),
    });

    // Nothing is stored in the browser: no cookies, no storage.
    const stored = await page.evaluate(() => ({
      cookie: document.cookie,
      local: localStorage.length,
      session: sessionStorage.length,
    }));
    expect(stored).toEqual({ cookie: '', local: 0, session: 0 });
    expect(await context.cookies()).toEqual([]);
  });

  it('sends one engagement ping for the page left (script.engagement.js), with its scroll depth and visible time', async () => {
    await openPage();
    collected.length = 0;
    await page.goto(siteUrl('/engagement/?ref=x#top'));
    await expect.poll(() => collected.length, { timeout: 10_000 }).toBe(1);
    await page.evaluate(() => window.scrollTo(0, 1280));
    await page.waitForFunction(() => window.scrollY === 1280);
    await page.evaluate(() => window.scrollTo(0, 0)); // the deepest point counts, not the last
    await page.waitForTimeout(200);
    // A real navigation: visibilitychange (hidden) then pagehide, and one ping between them.
    await page.click('#next');
    await waitForEvents(1); // the next page's pageview (base script, routed)
    await expect.poll(() => collected.length, { timeout: 10_000 }).toBe(2);
    await page.waitForTimeout(QUIET_MS);
    expect(collected.map((e) => e.name)).toEqual(['pageview', 'engagement']);
    expect(collected[1]).toMatchObject({
      name: 'engagement',
      url: siteUrl('/engagement/?ref=x'),
      domain: 'site.test',
      sd: 50,
    });
    expect(collected[1]?.e).toBeGreaterThanOrEqual(200);
  });

  it('sends no engagement pings from the base script.js', async () => {
    await openPage();
    await page.goto(siteUrl('/basic/'));
    await waitForEvents(1);
    await page.click('#next');
    await waitForEvents(2);
    expect(names()).toEqual(['pageview', 'pageview']);
  });

  it('reports the referrer the browser gives the page', async () => {
    await openPage();
    await page.goto(siteUrl('/basic/'), { referer: 'https://news.example/story' });
    await waitForEvents(1);
    expect(sent[0]?.body.referrer).toBe('https://news.example/story');
  });

  it('sends a pageview for pushState navigation, none for replaceState to the same path, one for popstate', async () => {
    await openPage();
    await page.goto(siteUrl('/spa/'));
    await waitForEvents(1);

    await page.evaluate(() => history.pushState({}, '', '/spa/pricing?plan=pro'));
    await waitForEvents(2);
    expect(sent[1]?.body).toMatchObject({
      name: 'pageview',
      url: siteUrl('/spa/pricing?plan=pro'),
      referrer: null,
    });

    // Same path (only state, query or hash differ): not a new page.
    await page.evaluate(() => {
      history.replaceState({ scroll: 1 }, '');
      history.replaceState({}, '', '/spa/pricing?plan=team');
      history.pushState({}, '', '/spa/pricing#faq');
    });
    // A new path through replaceState is a pageview (redirect-like routing).
    await page.evaluate(() => history.replaceState({}, '', '/spa/checkout'));
    await waitForEvents(3);
    expect(sent).toHaveLength(3);
    expect(sent[2]?.body).toMatchObject({ name: 'pageview', url: siteUrl('/spa/checkout') });

    // Back button: popstate to the entry pushed as /spa/pricing?plan=pro and then replaced with
    // ?plan=team (the #faq entry was replaced by /spa/checkout).
    await page.goBack();
    await waitForEvents(4);
    expect(sent).toHaveLength(4);
    expect(sent[3]?.body).toMatchObject({ name: 'pageview', url: siteUrl('/spa/pricing?plan=team') });
  });

  it('treats hash changes as pages and keeps the fragment in the url with data-hash', async () => {
    await openPage();
    await page.goto(siteUrl('/hash/#/home'));
    await waitForEvents(1);
    expect(sent[0]?.body).toMatchObject({ name: 'pageview', url: siteUrl('/hash/#/home') });

    await page.evaluate(() => {
      location.hash = '#/settings';
    });
    await waitForEvents(2);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.body).toMatchObject({ name: 'pageview', url: siteUrl('/hash/#/settings') });

    await page.evaluate(() => history.pushState({}, '', '#/billing'));
    await waitForEvents(3);
    expect(sent).toHaveLength(3);
    expect(sent[2]?.body.url).toBe(siteUrl('/hash/#/billing'));
  });

  it('ignores hash changes without data-hash', async () => {
    await openPage();
    await page.goto(siteUrl('/spa/'));
    await waitForEvents(1);
    await page.evaluate(() => {
      location.hash = '#section-2';
    });
    // A later real navigation proves the hash change before it sent nothing.
    await page.evaluate(() => history.pushState({}, '', '/spa/next'));
    await waitForEvents(2);
    expect(sent.map((event) => event.body.url)).toEqual([siteUrl('/spa/'), siteUrl('/spa/next')]);
  });

  it('replays calls queued by the snippet before the script loaded, after the first pageview', async () => {
    await openPage();
    await page.goto(siteUrl('/queued/'));
    await waitForEvents(3);
    expect(sent).toHaveLength(3);
    expect(sent.map((event) => event.body)).toEqual([
      { name: 'pageview', url: siteUrl('/queued/'), domain: 'site.test', referrer: null },
      {
        name: 'Signup',
        url: siteUrl('/queued/'),
        domain: 'site.test',
        referrer: null,
        props: { plan: 'pro' },
      },
      {
        name: 'Purchase',
        url: siteUrl('/queued/'),
        domain: 'site.test',
        referrer: null,
        props: { sku: 'A-1' },
        revenue: { amount: 29.5, currency: 'EUR' },
      },
    ]);
  });

  it('sends custom events through window.sightline and calls the callback', async () => {
    await openPage();
    await page.goto(siteUrl('/spa/'));
    await waitForEvents(1);
    const called = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const sightline = (window as unknown as { sightline: (name: string, options: object) => void })
            .sightline;
          sightline('Signup', {
            props: { plan: 'pro', seats: 3, trial: true },
            callback: () => resolve('called'),
          });
        }),
    );
    expect(called).toBe('called');
    await waitForEvents(2);
    expect(sent[1]?.body).toEqual({
      name: 'Signup',
      url: siteUrl('/spa/'),
      domain: 'site.test',
      referrer: null,
      props: { plan: 'pro', seats: 3, trial: true },
    });
  });

  it('posts to data-api when given', async () => {
    await openPage();
    await page.goto(siteUrl('/custom-api/'));
    await waitForEvents(1);
    expect(sent[0]?.endpoint).toBe('https://collect.example/api/event');
    expect(sent[0]?.body).toMatchObject({
      name: 'pageview',
      url: siteUrl('/custom-api/'),
      domain: 'site.test',
    });
  });

  it('sends nothing when the visitor opted out in localStorage', async () => {
    await openPage({ initScript: () => localStorage.setItem('sightline_ignore', 'true') });
    await page.goto(siteUrl('/queued/'));
    const callbackRan = await page.evaluate(
      () =>
        new Promise<boolean>((resolve) => {
          const sightline = (window as unknown as { sightline: (name: string, options: object) => void })
            .sightline;
          sightline('Signup', { callback: () => resolve(true) });
          setTimeout(() => resolve(false), 2000);
        }),
    );
    // The callback still runs, so pages that wait for it do not hang.
    expect(callbackRan).toBe(true);
    await page.evaluate(() => history.pushState({}, '', '/queued/next'));
    await expectNothingSent();
  });

  it('sends when localStorage holds another value than "true"', async () => {
    await openPage({ initScript: () => localStorage.setItem('sightline_ignore', 'false') });
    await page.goto(siteUrl('/spa/'));
    await waitForEvents(1);
    expect(sent[0]?.body).toMatchObject({ name: 'pageview', url: siteUrl('/spa/') });
  });

  it('ignores localhost and 127.0.0.1 unless data-allow-localhost is set', async () => {
    await openPage();
    const scriptRan = () => page.evaluate(() => typeof (window as { sightline?: unknown }).sightline);
    await page.goto(`http://localhost:${port}/spa/`);
    expect(await scriptRan()).toBe('function');
    await page.evaluate(() => history.pushState({}, '', '/spa/next'));
    await page.goto(`http://127.0.0.1:${port}/spa/`);
    expect(await scriptRan()).toBe('function');
    await expectNothingSent();

    await page.goto(`http://localhost:${port}/allow-localhost/`);
    await waitForEvents(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.endpoint).toBe(`http://localhost:${port}/api/event`);
    expect(sent[0]?.body).toEqual({
      name: 'pageview',
      url: `http://localhost:${port}/allow-localhost/`,
      domain: 'site.test',
      referrer: null,
    });
  });

  it('sends Outbound Link: Click for links to other hosts when data-outbound-links is set', async () => {
    await openPage();
    await page.goto(siteUrl('/links-outbound/'));
    await waitForEvents(1);

    // Links without href, same-host downloads (not opted in) and internal links are not outbound;
    // the pageview of the internal link's page shows nothing was sent before it.
    await page.click('#no-href');
    await page.click('#download', { button: 'middle' });
    await page.click('#internal');
    await waitForEvents(2);
    expect(names()).toEqual(['pageview', 'pageview']);
    expect(sent[1]?.body.url).toBe(siteUrl('/links/next'));

    await page.goto(siteUrl('/links-outbound/'));
    await waitForEvents(3);

    // The page navigates away at once; the event still arrives (beacon survives the unload).
    await page.click('#outbound');
    await page.waitForURL('https://elsewhere.example/**');
    await waitForEvents(4);
    expect(sent).toHaveLength(4);
    expect(sent[3]?.body).toEqual({
      name: 'Outbound Link: Click',
      url: siteUrl('/links-outbound/'),
      domain: 'site.test',
      referrer: null,
      props: { url: 'https://elsewhere.example/landing?ref=site' },
    });
  });

  it('counts a middle click on an outbound link, not a right click', async () => {
    await openPage();
    await page.goto(siteUrl('/links-outbound/'));
    await waitForEvents(1);
    await page.click('#outbound', { button: 'right' });
    await page.click('#outbound', { button: 'middle' });
    await waitForEvents(2);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.body).toMatchObject({
      name: 'Outbound Link: Click',
      props: { url: 'https://elsewhere.example/landing?ref=site' },
    });
  });

  it('sends File Download for links to common file types when data-file-downloads is set', async () => {
    await openPage();
    await page.goto(siteUrl('/links-downloads/'));
    await waitForEvents(1);

    // Outbound tracking is not enabled on this page.
    await page.click('#outbound', { button: 'middle' });
    // The click lands on a <span> inside the link: delegation finds the <a>.
    await page.click('#download-label', { button: 'middle' });
    await waitForEvents(2);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.body).toEqual({
      name: 'File Download',
      url: siteUrl('/links-downloads/'),
      domain: 'site.test',
      referrer: null,
      // The query string (often a signed token) is dropped.
      props: { url: siteUrl('/files/report.pdf') },
    });

    // Extensions match case-insensitively; a plain click navigates to the file.
    await page.click('#text-file');
    await waitForEvents(3);
    expect(sent[2]?.body).toMatchObject({
      name: 'File Download',
      props: { url: siteUrl('/files/notes.TXT') },
    });
    expect(sent).toHaveLength(3);
  });

  it('sends no link events when neither option is set', async () => {
    await openPage();
    await page.goto(siteUrl('/links/'));
    await waitForEvents(1);
    await page.click('#download', { button: 'middle' });
    await page.click('#outbound', { button: 'middle' });
    await page.click('#outbound');
    await page.waitForURL('https://elsewhere.example/**');
    await page.waitForTimeout(QUIET_MS);
    expect(names()).toEqual(['pageview']);
  });

  it('falls back to fetch with keepalive when sendBeacon is missing', async () => {
    await openPage({
      initScript: () => {
        delete (Navigator.prototype as { sendBeacon?: unknown }).sendBeacon;
        const calls: unknown[] = [];
        (window as unknown as { fetchCalls: unknown[] }).fetchCalls = calls;
        const originalFetch = window.fetch.bind(window);
        window.fetch = (input, init) => {
          calls.push({ input: String(input), init });
          return originalFetch(input, init);
        };
      },
    });
    await page.goto(siteUrl('/spa/'));
    await waitForEvents(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      endpoint: siteUrl('/api/event'),
      method: 'POST',
      contentType: 'text/plain',
      resourceType: 'fetch',
      body: { name: 'pageview', url: siteUrl('/spa/'), domain: 'site.test', referrer: null },
    });
    const calls = await page.evaluate(() => (window as unknown as { fetchCalls: unknown[] }).fetchCalls);
    expect(calls).toEqual([
      {
        input: siteUrl('/api/event'),
        init: {
          method: 'POST',
          body: JSON.stringify({
            name: 'pageview',
            url: siteUrl('/spa/'),
            domain: 'site.test',
            referrer: null,
          }),
          keepalive: true,
          headers: { 'Content-Type': 'text/plain' },
        },
      },
    ]);
  });
});
