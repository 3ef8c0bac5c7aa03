import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { sql } from '@sightline/clickhouse';
import { DESKTOP_CHROME_UA, eventually, startFlusher, startReceiver, TestContext } from '@sightline/testing';
import { startDemoSite, type DemoSite } from '../../scripts/demo-site/demo-site.server';

const DEMO_DOMAIN = 'demo.sightline.test';

/**
 * The whole pipeline as a visitor drives it: a real Chromium on the demo website, the tracker
 * served by the receiver, Redis, the flusher, ClickHouse — and every event counted at the end.
 */
describe('browser → ingest → Redis → flusher → ClickHouse', () => {
  const ctx = new TestContext();
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let flusher: ReturnType<typeof startFlusher>;
  let demo: DemoSite;
  let browser: Browser;
  let siteId: number;

  beforeAll(async () => {
    const config = ctx.ingestConfig();
    receiver = await startReceiver(config);
    flusher = startFlusher(config);
    demo = await startDemoSite({ port: 0, host: '127.0.0.1', ingestUrl: receiver.url });
    siteId = (await ctx.newSite({ domain: DEMO_DOMAIN })).id;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await receiver?.close();
    await flusher?.close();
    await ctx.close();
  });

  it('counts every pageview, SPA navigation and custom event of a visit', async () => {
    const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA });
    const page = await context.newPage();
    const accepted: number[] = [];
    page.on('response', (res) => {
      if (res.url().endsWith('/api/event')) accepted.push(res.status());
    });

    await page.goto(`${demo.url}/`); // pageview 1
    await page.getByRole('button', { name: /Sign up/ }).click(); // Signup
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pricing' }).click(); // pageview 2
    await page.waitForURL(/\/pricing$/);
    await page.goto(`${demo.url}/app`); // pageview 3
    await page.locator('a[data-app-link][href="/app/settings"]').first().click(); // SPA pageview 4
    await page.waitForURL(/\/app\/settings$/);
    await page.goBack(); // popstate → pageview 5
    await page.waitForURL(/\/app$/);

    // The demo site loads script.engagement.vitals.js: pages left also send engagement pings, which
    // are not events (they arrive whenever a page is hidden, so they are checked apart).
    const countRealEvents = async () => {
      const rs = await ctx.clickhouse.query({
        query: sql`SELECT count() AS c FROM events WHERE site_id = ${siteId} AND name != 'engagement'`.text,
        format: 'JSONEachRow',
      });
      return Number((await rs.json<{ c: string }>())[0]?.c);
    };
    await eventually(async () => (await countRealEvents()) >= 6, {
      what: 'six events in ClickHouse',
      timeoutMs: 20_000,
    });
    await context.close();

    const rs = await ctx.clickhouse.query({
      query: sql`SELECT name, pathname, browser, os, device, uniqExact(session_id) AS sessions, count() AS c
        FROM events WHERE site_id = ${siteId} AND name != 'engagement' GROUP BY name, pathname, browser, os, device ORDER BY name, pathname`
        .text,
      format: 'JSONEachRow',
    });
    const rows = await rs.json<Record<string, string>>();
    expect(rows.map((r) => [r.name, r.pathname, Number(r.c)])).toEqual([
      ['Signup', '/', 1],
      ['pageview', '/', 1],
      ['pageview', '/app', 2],
      ['pageview', '/app/settings', 1],
      ['pageview', '/pricing', 1],
    ]);
    expect(new Set(rows.map((r) => `${r.browser}/${r.os}/${r.device}`))).toEqual(
      new Set(['Chrome/Windows/Desktop']),
    );
    // Beacons sent while a page unloads may finish after it, so not every response is observed.
    expect(accepted.every((s) => s === 202)).toBe(true);
    // One visitor, one session across all of it, engagement pings included.
    const ids = await ctx.clickhouse.query({
      query:
        sql`SELECT uniqExact(visitor_id) AS v, uniqExact(session_id) AS s FROM events WHERE site_id = ${siteId}`
          .text,
      format: 'JSONEachRow',
    });
    expect((await ids.json<{ v: string; s: string }>())[0]).toEqual({ v: '1', s: '1' });
  });
});
