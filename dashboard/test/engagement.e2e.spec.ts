import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { sql } from '@sightline/clickhouse';
import { DESKTOP_CHROME_UA, eventually } from '@sightline/testing';
import { ProductStack, SCREENSHOTS } from './product-stack';

/**
 * Engagement end to end: a customer's pages load script.engagement.js, a visitor reads a page and
 * hides it (the tracker pings on the hidden state), and the Top pages panel shows
 * scroll depth and time on page next to the visitors.
 */
describe('engagement: script.engagement.js → ingest → Top pages', () => {
  const stack = new ProductStack();
  const { ctx } = stack;
  const domain = `engaged-${ctx.runId}.e2e.example`;
  let siteId = 0;
  let owner: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await stack.start([domain]);
    owner = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await stack.watchedPage(owner);
    const orgId = await stack.signUp(page, `engaged-${ctx.runId}@example.test`);
    siteId = await stack.addSite(page, orgId, domain);
    stack.snippet = `<script defer data-domain="${domain}" src="${stack.receiver.url}/js/script.engagement.js"></script>`;
  });
  afterAll(() => stack.stop());

  const pings = async () => {
    const rs = await ctx.clickhouse.query({
      query: sql`SELECT pathname, scroll_depth, engagement_time FROM events
        WHERE site_id = ${siteId} AND name = 'engagement' ORDER BY pathname`.text,
      format: 'JSONEachRow',
    });
    return rs.json<{ pathname: string; scroll_depth: number; engagement_time: number }>();
  };

  it('stores a ping for each page a visitor leaves', async () => {
    const visitor = await stack.browser.newContext({ userAgent: DESKTOP_CHROME_UA });
    const tab = await visitor.newPage();
    const base = `http://${domain}:${stack.customer.port}`;
    // The visitor reads a page, then switches tabs (headless tabs never become hidden by
    // themselves, so the switch is dispatched); the ping goes out on the hidden state.
    const readThenHide = async (path: string) => {
      await tab.goto(`${base}${path}`);
      await tab.waitForTimeout(400);
      await tab.evaluate(`
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
        document.dispatchEvent(new Event('visibilitychange'));
      `);
    };
    await readThenHide('/');
    await readThenHide('/pricing');
    await tab.goto(`${base}/docs`); // its ping comes when the window closes
    const stored = await eventually(async () => ((await pings()).length >= 2 ? pings() : null), {
      what: 'two engagement pings',
      timeoutMs: 20_000,
    });
    await visitor.close();
    // The customer's pages are shorter than the window: all of each page was seen.
    expect(stored.map((p) => [p.pathname, p.scroll_depth])).toEqual([
      ['/', 100],
      ['/pricing', 100],
    ]);
    for (const p of stored) expect(Number(p.engagement_time)).toBeGreaterThanOrEqual(400);
  });

  it('shows scroll depth and time on page in Top pages (light, dark, phone)', async () => {
    await page.goto(`${stack.dashboardUrl}/sites/${domain}`);
    const row = (path: string) => page.locator(`[data-testid="breakdown-row"][data-dimension="${path}"]`);
    const cell = (path: string, metric: string) => row(path).locator(`[data-metric="${metric}"]`);
    await expect.poll(() => cell('/', 'scroll_depth').textContent(), { timeout: 20_000 }).toBe('100%');
    expect(await cell('/', 'time_on_page').textContent()).toMatch(/^\d+s$/);
    // Closing the visitor's window sent the ping for /docs too (pagehide).
    await expect.poll(() => cell('/docs', 'scroll_depth').textContent()).toBe('100%');
    expect(await cell('/docs', 'visitors').textContent()).toBe('1');
    // The pings are not visits or pageviews.
    expect(await page.getByTestId('top-card-pageviews').getByTestId('top-card-value').textContent()).toBe(
      '3',
    );
    const panel = page.locator('section.panel', { has: page.getByRole('heading', { name: 'Pages' }) });
    await expect.poll(() => panel.getByText('Scroll').count()).toBe(1);
    await panel.screenshot({ path: join(SCREENSHOTS, 'top-pages-engagement.png') });

    for (const [name, options] of [
      ['dark', { colorScheme: 'dark' as const, viewport: { width: 1280, height: 900 } }],
      ['phone', { viewport: { width: 390, height: 844 }, isMobile: true }],
    ] as const) {
      const other = await stack.browser.newContext({ ...options, storageState: await owner.storageState() });
      const p = await other.newPage();
      await p.goto(`${stack.dashboardUrl}/sites/${domain}`);
      const otherPanel = p.locator('section.panel', { has: p.getByRole('heading', { name: 'Pages' }) });
      await expect
        .poll(
          () =>
            otherPanel
              .locator('[data-testid="breakdown-row"][data-dimension="/"] [data-metric="scroll_depth"]')
              .textContent(),
          { timeout: 20_000 },
        )
        .toBe('100%');
      if (name === 'phone')
        expect(
          await p.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'),
        ).toBeLessThanOrEqual(0);
      await otherPanel.screenshot({ path: join(SCREENSHOTS, `top-pages-engagement-${name}.png`) });
      await other.close();
    }
  });
});
