import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { EventRow } from '@sightline/events';
import { eventRow, insertRows } from '@sightline/testing';
import { ProductStack, SCREENSHOTS, seriousAxeViolations } from './product-stack';

/**
 * A big site's long range is answered from a sample of its visitors (README "Sampling"), and the
 * dashboard says so under the totals. The API here samples above 300 events in a range, down to
 * about 200 rows, so a site with 600 events on one day is read at 1 in 3 of its visitors and a site
 * with 40 is read whole.
 */
describe('sampled figures in the dashboard', () => {
  const stack = new ProductStack();
  const { ctx } = stack;
  const big = `sampled-${ctx.runId}.e2e.example`;
  const small = `whole-${ctx.runId}.e2e.example`;
  // Three days ago, as a custom range of one day: no midnight falls inside the test.
  const day = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
  const dayUrl = (domain: string) =>
    `${stack.dashboardUrl}/sites/${domain}?period=custom&from=${day}&to=${day}`;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await stack.start([], { QUERY_SAMPLE_ABOVE_ROWS: '300', QUERY_SAMPLE_TARGET_ROWS: '200' });
    context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await stack.watchedPage(context);
    const orgId = await stack.signUp(page, `sampling-${ctx.runId}@example.test`);
    await seed(stack, await stack.addSite(page, orgId, big), day, 300);
    await seed(stack, await stack.addSite(page, orgId, small), day, 20);
  });
  afterAll(() => stack.stop());

  const note = (p: Page) => p.getByTestId('sampled-data-note');
  const visitors = (p: Page) => p.getByTestId('top-card-visitors').getByTestId('top-card-value');

  it('says under the totals that a big range is estimated from 1 in 3 visitors', async () => {
    await page.goto(dayUrl(big));
    await expect.poll(() => note(page).count(), { timeout: 30_000 }).toBe(1);
    expect((await note(page).textContent())?.replace(/\s+/g, ' ')).toContain(
      'Estimated from 1 in 3 of this period’s visitors (600 events): counts may be off by a few percent.',
    );
    // The visitors card shows the estimate (sampled count × 3), not the sample's own count.
    await expect.poll(() => visitors(page).textContent(), { timeout: 20_000 }).toMatch(/^\d+$/);
    const estimate = Number(await visitors(page).textContent());
    expect(estimate % 3).toBe(0);
    expect(estimate).toBeGreaterThan(150);
    expect(estimate).toBeLessThan(450);
  });

  it('shows nothing of the kind for a site read whole', async () => {
    await page.goto(dayUrl(small));
    await expect.poll(() => visitors(page).textContent(), { timeout: 30_000 }).toBe('20');
    expect(await note(page).count()).toBe(0);
  });

  it('reads well in light and dark, on a phone, with no serious accessibility finding', async () => {
    for (const [name, width, scheme] of [
      ['sampled-note-light', 1280, 'light'],
      ['sampled-note-dark', 1280, 'dark'],
      ['sampled-note-phone', 390, 'light'],
    ] as const) {
      const other = await stack.browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
      await other.addCookies(await context.cookies());
      const p = await stack.watchedPage(other);
      await p.goto(dayUrl(big));
      await expect.poll(() => note(p).count(), { timeout: 30_000 }).toBe(1);
      await expect.poll(() => p.locator('[aria-busy="true"]').count(), { timeout: 20_000 }).toBe(0);
      await p
        .locator('.chart-card')
        .first()
        .screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
      expect(await seriousAxeViolations(p), name).toEqual([]);
      await other.close();
    }
  });
});

/** `visitors` visitors with two pageviews each at noon UTC of `day`, spread over the visitor-id range that SAMPLE divides. */
async function seed(stack: ProductStack, siteId: number, day: string, visitors: number): Promise<void> {
  const rows: EventRow[] = [];
  for (let v = 0; v < visitors; v++) {
    // Fibonacci hashing: ids evenly spread over 0..2^64, as the real visitor hash's are.
    const visitorId = BigInt.asUintN(64, BigInt(v + 1) * 0x9e3779b97f4a7c15n);
    for (const [minute, pathname] of [
      [0, '/'],
      [1, '/pricing'],
    ] as const)
      rows.push(
        eventRow(siteId, `${day}T12:${String(minute).padStart(2, '0')}:${String(v % 60).padStart(2, '0')}Z`, {
          hostname: 'sampled.example',
          pathname,
          visitor_id: visitorId,
          session_id: visitorId ^ 1n,
        }),
      );
  }
  await insertRows(stack.ctx.clickhouse, rows);
}
