import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { EventRow } from '@sightline/events';
import { eventRow, insertRows } from '@sightline/testing';
import { IPHONE_UA, ProductStack, SCREENSHOTS } from './product-stack';

/**
 * A customer builds a funnel in site settings and reads it on the dashboard. Traffic (an hour ago):
 * visitors 1–6 see /, 1–4 then /pricing, 1–2 then sign up; 7–10 only see /about. Odd visitors are in
 * Germany. So: 6 → 4 → 2 of 10; with country DE: 3 → 2 → 1 of 5.
 */
describe('funnels in the dashboard', () => {
  const stack = new ProductStack();
  const { ctx } = stack;
  const domain = `funnels-${ctx.runId}.e2e.example`;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await stack.start([]);
    context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await stack.watchedPage(context);
    const orgId = await stack.signUp(page, `funnels-${ctx.runId}@example.test`);
    await stack.setPlan(orgId, 'premium'); // funnels and shared links are Premium features
    const siteId = await stack.addSite(page, orgId, domain);
    await seedFunnelTraffic(stack, siteId);
  });
  afterAll(() => stack.stop());

  const stepNumbers = () =>
    page
      .getByTestId('funnel-step')
      .evaluateAll((rows) =>
        rows.map(
          (r) =>
            (r as unknown as { querySelector: (s: string) => { textContent: string } | null }).querySelector(
              '[data-metric="visitors"]',
            )?.textContent ?? '',
        ),
      );

  it('starts empty, links to settings, where a funnel is built, checked and saved', async () => {
    await page.goto(`${stack.dashboardUrl}/sites/${domain}`);
    const panel = page.getByTestId('funnels-panel');
    await expect.poll(() => panel.getByText('No funnels yet').count(), { timeout: 30_000 }).toBe(1);
    await panel.getByRole('link', { name: 'Create a funnel' }).click();
    await page.waitForURL(/\/settings#funnels$/);

    const section = page.locator('#funnels');
    await section.getByRole('button', { name: 'New funnel' }).click();
    await section.getByLabel('Name', { exact: true }).fill('Signup flow');
    // Two steps to start with: page / and an event; make step 2 the Signup event.
    await page.getByLabel('Step 2 event name').fill('Signup');
    await page.getByRole('button', { name: 'Add step' }).click();
    await page.getByLabel('Step 3 page path').fill('pricing'); // no leading slash: the API refuses it
    await page.getByRole('button', { name: 'Move step 3 up' }).click();
    await page.getByRole('button', { name: 'Create funnel' }).click();
    const error = page.getByText(/be a path starting with \//i);
    await expect.poll(() => error.count(), { timeout: 20_000 }).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'funnel-editor-error.png'), fullPage: true });
    await page.getByLabel('Step 2 page path').fill('/pricing');
    await page.getByRole('button', { name: 'Create funnel' }).click();
    const item = page.getByTestId('funnel-item');
    await expect
      .poll(() => item.textContent(), { timeout: 20_000 })
      .toBe('Signup flowVisit / → Visit /pricing → SignupEditDelete');
    await page.screenshot({ path: join(SCREENSHOTS, 'funnel-settings.png'), fullPage: true });
  });

  it('shows visitors, conversion and drop-off per step, narrowed by the dashboard filters', async () => {
    await page.goto(`${stack.dashboardUrl}/sites/${domain}`);
    const panel = page.getByTestId('funnels-panel');
    await expect.poll(stepNumbers, { timeout: 30_000 }).toEqual(['6', '4', '2']);
    expect(await panel.getByTestId('funnel-summary').textContent()).toBe(
      '6 of 10 visitors entered; 33.3% converted to the last step.',
    );
    expect(
      await panel.locator('[data-testid="funnel-step"] [data-metric="dropoff"]').allTextContents(),
    ).toEqual(['—', '2 (33.3%)', '2 (50%)']);
    expect(await panel.locator('.recharts-bar-rectangle').count()).toBe(3);
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: join(SCREENSHOTS, 'funnel-panel-light.png') });

    await page.goto(`${stack.dashboardUrl}/sites/${domain}?f=is,visit:country,DE`);
    await expect.poll(stepNumbers, { timeout: 30_000 }).toEqual(['3', '2', '1']);
    expect(await panel.getByTestId('funnel-summary').textContent()).toBe(
      '3 of 5 visitors entered; 33.3% converted to the last step.',
    );
  });

  it('dark mode and a phone', async () => {
    const dark = await stack.browser.newContext({
      viewport: { width: 1280, height: 900 },
      colorScheme: 'dark',
    });
    await dark.addCookies(await context.cookies());
    const darkPage = await dark.newPage();
    await darkPage.goto(`${stack.dashboardUrl}/sites/${domain}`);
    const panel = darkPage.getByTestId('funnels-panel');
    await expect.poll(() => panel.getByTestId('funnel-step').count(), { timeout: 30_000 }).toBe(3);
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: join(SCREENSHOTS, 'funnel-panel-dark.png') });
    await darkPage.goto(`${stack.dashboardUrl}/sites/${domain}/settings#funnels`);
    await darkPage.getByRole('button', { name: 'Edit Signup flow' }).click();
    await darkPage.getByTestId('funnel-step-editor').first().waitFor();
    await darkPage.locator('#funnels').screenshot({ path: join(SCREENSHOTS, 'funnel-editor-dark.png') });
    await dark.close();

    const phone = await stack.browser.newContext({
      viewport: { width: 390, height: 844 },
      userAgent: IPHONE_UA,
      isMobile: true,
      hasTouch: true,
    });
    await phone.addCookies(await context.cookies());
    const phonePage = await phone.newPage();
    await phonePage.goto(`${stack.dashboardUrl}/sites/${domain}`);
    const phonePanel = phonePage.getByTestId('funnels-panel');
    await expect.poll(() => phonePanel.getByTestId('funnel-step').count(), { timeout: 30_000 }).toBe(3);
    await phonePanel.scrollIntoViewIfNeeded();
    await phonePanel.screenshot({ path: join(SCREENSHOTS, 'funnel-panel-phone.png') });
    // Nothing wider than the screen.
    const overflow = await phonePage.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
          .documentElement.scrollWidth,
    );
    expect(overflow).toBeLessThanOrEqual(390);
    await phone.close();
  });

  it('deletes the funnel after a confirmation; the panel is empty again', async () => {
    await page.goto(`${stack.dashboardUrl}/sites/${domain}/settings#funnels`);
    await page.getByRole('button', { name: 'Delete Signup flow' }).click();
    await page.getByRole('button', { name: 'Delete funnel' }).click();
    await expect.poll(() => page.getByText('No funnels yet.').count(), { timeout: 20_000 }).toBe(1);
  });
});

async function seedFunnelTraffic(stack: ProductStack, siteId: number): Promise<void> {
  const start = Date.now() - 60 * 60_000;
  const rows: EventRow[] = [];
  const add = (visitor: number, offsetSeconds: number, pathname: string, name = 'pageview') =>
    rows.push(
      eventRow(siteId, new Date(start + visitor * 1000 + offsetSeconds * 1000), {
        name,
        hostname: 'shop.example',
        pathname,
        country_code: visitor % 2 === 1 ? 'DE' : 'US',
        visitor_id: BigInt(7000 + visitor),
        session_id: BigInt(8000 + visitor),
      }),
    );
  for (let v = 1; v <= 6; v++) add(v, 0, '/');
  for (let v = 1; v <= 4; v++) add(v, 60, '/pricing');
  for (let v = 1; v <= 2; v++) add(v, 120, '/pricing', 'Signup');
  for (let v = 7; v <= 10; v++) add(v, 0, '/about');
  await insertRows(stack.ctx.clickhouse, rows);
}
