import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { EventRow } from '@sightline/events';
import { eventRow, insertRows } from '@sightline/testing';
import { ProductStack, SCREENSHOTS, seriousAxeViolations } from './product-stack';

/**
 * Custom properties and revenue goals in the dashboard: the Goals card's Properties tab lists a
 * goal's property keys and their values, a revenue goal shows revenue in the site's currency, a value
 * row filters the dashboard, and the CSV export carries the property values.
 *
 * Traffic (today, EUR site): 10 visitors with a pageview each; visitors 0–5 sign up (plan pro for
 * 0–3, free for 4–5); visitors 0–2 buy (plan pro): 20 € + 20 € + 50 € = 90 €, average 30 €; one
 * purchase in USD (visitor 3, 99 $) is left out of the EUR revenue.
 */
describe('goal properties and revenue in the dashboard', () => {
  const stack = new ProductStack();
  const { ctx } = stack;
  const domain = `props-${ctx.runId}.e2e.example`;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await stack.start([]);
    context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await stack.watchedPage(context);
    const orgId = await stack.signUp(page, `props-${ctx.runId}@example.test`);
    const siteId = await stack.addSite(page, orgId, domain);
    await seed(stack, siteId);
  });
  afterAll(() => stack.stop());

  const goalsCard = () =>
    page.locator('section.panel', { has: page.getByRole('heading', { name: 'Goals' }) });
  const row = (value: string) =>
    goalsCard().locator(`[data-testid="breakdown-row"][data-dimension="${value}"]`);

  it('sets the revenue currency in site settings', async () => {
    await page.goto(`${stack.dashboardUrl}/sites/${domain}/settings`);
    const currency = page.getByLabel('Revenue currency');
    await expect.poll(() => currency.inputValue()).toBe('USD');
    await currency.fill('eur');
    await page.getByRole('button', { name: 'Save changes' }).first().click();
    await expect.poll(() => page.getByText('Saved.').count()).toBeGreaterThan(0);
    await currency.fill('EURO');
    await page.getByRole('button', { name: 'Save changes' }).first().click();
    await expect.poll(() => page.getByText(/ISO 4217/).count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'site-settings-currency.png'), fullPage: true });
  });

  it('shows revenue columns for the revenue goal in the site currency', async () => {
    await page.goto(`${stack.dashboardUrl}/sites/${domain}?period=day`);
    const purchase = row('Purchase');
    await expect
      .poll(() => purchase.locator('[data-metric="total_revenue"]').textContent(), { timeout: 20_000 })
      .toBe('€90.00');
    expect(await purchase.locator('[data-metric="average_revenue"]').textContent()).toBe('€30.00');
    expect(await row('Signup').locator('[data-metric="total_revenue"]').textContent()).toBe('€0.00');
  });

  it("lists a goal's property keys and values, and a value filters the dashboard", async () => {
    await page.goto(`${stack.dashboardUrl}/sites/${domain}?period=day`);
    await goalsCard().getByRole('tab', { name: 'Properties' }).click();
    const goal = goalsCard().getByRole('combobox', { name: 'Goal' });
    const property = goalsCard().getByRole('combobox', { name: 'Property' });
    // Goals by visitors: Signup (6), Purchase (4), File Download (2).
    await expect.poll(() => goal.inputValue(), { timeout: 20_000 }).toBe('Signup');
    await expect.poll(() => property.inputValue()).toBe('plan');
    // Signup's plan: pro 4 of 10 visitors, free 2.
    await expect.poll(() => row('pro').locator('[data-metric="visitors"]').textContent()).toBe('4');
    expect(await row('pro').locator('[data-metric="conversion_rate"]').textContent()).toBe('40%');
    expect(await row('free').locator('[data-metric="events"]').textContent()).toBe('2');
    expect(await goalsCard().locator('[data-metric="total_revenue"]').count()).toBe(0);
    await goalsCard().screenshot({ path: join(SCREENSHOTS, 'goal-properties.png') });

    await goal.selectOption('Purchase');
    // Purchase has plan and billing; billing is on fewer visitors (3 of 4).
    await expect.poll(() => property.locator('option').allTextContents()).toEqual(['plan', 'billing']);
    await expect.poll(() => row('pro').locator('[data-metric="total_revenue"]').textContent()).toBe('€90.00');
    expect(await row('pro').locator('[data-metric="visitors"]').textContent()).toBe('4');
    await property.selectOption('billing');
    await expect
      .poll(() => row('yearly').locator('[data-metric="total_revenue"]').textContent())
      .toBe('€50.00');
    await goalsCard().screenshot({ path: join(SCREENSHOTS, 'goal-properties-revenue.png') });

    await row('yearly').click();
    await expect
      .poll(() => page.getByTestId('filter-chip').allTextContents())
      .toEqual([
        expect.stringContaining('Goal is Purchase'),
        expect.stringContaining('Property billing is yearly'),
      ]);
    await expect
      .poll(() => page.getByTestId('top-card-visitors').getByTestId('top-card-value').textContent())
      .toBe('1');
    expect(page.url()).toContain('event%3Aprops%3Abilling');
  });

  it('renders in dark mode and on a phone, with no serious accessibility violation', async () => {
    for (const [name, scheme, width] of [
      ['goal-properties-dark', 'dark', 1280],
      ['goal-properties-phone', 'light', 390],
    ] as const) {
      const other = await stack.browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
      const p = await stack.watchedPage(other);
      // The same session: the context shares nothing, so copy the cookie.
      await other.addCookies(await context.cookies());
      await p.goto(`${stack.dashboardUrl}/sites/${domain}?period=day`);
      const card = p.locator('section.panel', { has: p.getByRole('heading', { name: 'Goals' }) });
      await card.getByRole('tab', { name: 'Properties' }).click();
      await expect
        .poll(() => card.locator('[data-testid="breakdown-row"]').count(), { timeout: 20_000 })
        .toBe(2);
      await card.scrollIntoViewIfNeeded();
      await card.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
      await expect.poll(() => p.locator('[aria-busy="true"]').count(), { timeout: 20_000 }).toBe(0);
      expect(await seriousAxeViolations(p), name).toEqual([]);
      await other.close();
    }
  });

  it('exports property values and revenue in the CSV zip', async () => {
    await page.goto(`${stack.dashboardUrl}/sites/${domain}?period=day`);
    await expect
      .poll(() => page.getByTestId('top-card-visitors').getByTestId('top-card-value').textContent(), {
        timeout: 20_000,
      })
      .toBe('10');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const files = unzipSync(new Uint8Array(await readFile(await download.path())));
    const csv = (name: string) => strFromU8(files[name] ?? new Uint8Array()).split('\r\n');
    expect(csv('custom_events.csv')).toEqual([
      'name,visitors,events,total_revenue,average_revenue',
      'Signup,6,6,0,0',
      'Purchase,4,4,90,30',
      'File Download,2,2,0,0',
      '',
    ]);
    // Keys by visitors: plan (visitors 0–5), billing (0–2), url (6–7); values without "(none)".
    expect(csv('custom_props.csv')).toEqual([
      'property,value,visitors,events',
      'plan,pro,4,8',
      'plan,free,2,2',
      'billing,monthly,2,2',
      'billing,yearly,1,1',
      'url,/brochure.pdf,2,2',
      '',
    ]);
  });
});

/** See the describe block for the numbers. */
async function seed(stack: ProductStack, siteId: number): Promise<void> {
  const now = Date.now();
  const rows: EventRow[] = [];
  const event = (
    v: number,
    minute: number,
    name: string,
    props: Record<string, string> = {},
    revenue: [number, string] = [0, ''],
  ): void => {
    rows.push(
      // Within the last two minutes, in order: pageview, then Signup, Purchase, download.
      eventRow(siteId, new Date(now - 120_000 + minute * 10_000 + v * 1000), {
        name,
        hostname: 'props.example',
        pathname: name === 'pageview' ? '/' : '/pricing',
        visitor_id: BigInt(2000 + v),
        session_id: BigInt(6000 + v),
        props_keys: Object.keys(props),
        props_values: Object.values(props),
        revenue_amount: revenue[0],
        revenue_currency: revenue[1],
      }),
    );
  };
  for (let v = 0; v < 10; v++) {
    event(v, 1, 'pageview');
    if (v < 6) event(v, 2, 'Signup', { plan: v < 4 ? 'pro' : 'free' });
  }
  event(0, 3, 'Purchase', { plan: 'pro', billing: 'monthly' }, [20, 'EUR']);
  event(1, 3, 'Purchase', { plan: 'pro', billing: 'monthly' }, [20, 'EUR']);
  event(2, 3, 'Purchase', { plan: 'pro', billing: 'yearly' }, [50, 'EUR']);
  event(3, 3, 'Purchase', { plan: 'pro' }, [99, 'USD']);
  event(6, 4, 'File Download', { url: '/brochure.pdf' });
  event(7, 4, 'File Download', { url: '/brochure.pdf' });
  await insertRows(stack.ctx.clickhouse, rows);
}
