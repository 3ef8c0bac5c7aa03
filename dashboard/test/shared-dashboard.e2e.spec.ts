import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { MeResponse } from '@sightline/api-contract';
import { EventsRepository } from '@sightline/clickhouse';
import { serializeEventRow, type EventRow } from '@sightline/events';
import { ProductStack, SCREENSHOTS as shots } from './product-stack';

/**
 * Shared dashboards in the browser: the owner creates links in the site's settings, a visitor
 * without an account opens one and sees the whole dashboard read-only (light, dark, phone), a
 * password link asks for its password first, and a revoked link stops working.
 */
describe('shared dashboards: a read-only link to a site dashboard', () => {
  const stack = new ProductStack();
  const { ctx } = stack;
  const domain = `shared-${ctx.runId}.e2e.example`;
  let owner: BrowserContext;
  let page: Page;
  let publicUrl = '';

  beforeAll(async () => {
    await stack.start([]);
    owner = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await stack.watchedPage(owner);
    await page.goto(`${stack.dashboardUrl}/signup`);
    await page.getByLabel(/email/i).fill(`shared-${ctx.runId}@example.test`);
    await page.getByLabel(/^password/i).fill('a long enough password');
    await page.getByRole('button', { name: /sign up|create account/i }).click();
    await page.waitForURL(/\/sites/);
    const me = (await page.evaluate(() => fetch('/api/auth/me').then((r) => r.json()))) as MeResponse;
    const created = (await page.evaluate(
      ({ orgId, domain }) =>
        fetch(`/api/orgs/${orgId}/sites`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ domain }),
        }).then((r) => r.json()),
      { orgId: me.orgs[0]?.orgId ?? '', domain },
    )) as { id: number };
    await seed(stack, created.id);
  });
  afterAll(() => stack.stop());

  /** The dashboard's address of a link, reached through this test's dashboard server. */
  const local = (url: string) => `${stack.dashboardUrl}${new URL(url).pathname}`;

  async function createLink(fields: { label: string; password?: string }): Promise<string> {
    await page.goto(`${stack.dashboardUrl}/sites/${domain}/settings`);
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'Shared links' }) });
    await section.getByLabel('Name').fill(fields.label);
    if (fields.password) await section.getByLabel('Password (optional)').fill(fields.password);
    await section.getByRole('button', { name: 'Create link' }).click();
    const row = section.getByRole('row', { name: new RegExp(fields.label) });
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    return (await row.locator('code').textContent()) ?? '';
  }

  it('creates a link in the site settings and shows the whole dashboard to a visitor without an account', async () => {
    const url = await createLink({ label: 'Board' });
    expect(url).toMatch(/\/share\/[A-Za-z0-9_-]{43}$/);
    publicUrl = url;
    await page.screenshot({ path: join(shots, 'shared-links-settings.png'), fullPage: true });

    for (const [name, options] of [
      ['light', { colorScheme: 'light', viewport: { width: 1280, height: 900 } }],
      ['dark', { colorScheme: 'dark', viewport: { width: 1280, height: 900 } }],
      ['phone', { colorScheme: 'light', viewport: { width: 390, height: 844 }, isMobile: true }],
    ] as const) {
      const visitor = await stack.browser.newContext(options);
      const shared = await stack.watchedPage(visitor);
      const response = await shared.goto(local(url));
      expect(response?.headers()['x-robots-tag']).toBe('noindex, nofollow');
      expect(await shared.locator('meta[name="robots"]').getAttribute('content')).toMatch(/noindex/);
      await expect
        .poll(() => shared.getByRole('heading', { level: 1 }).textContent(), { timeout: 20_000 })
        .toBe(domain);
      await expect
        .poll(() => shared.getByTestId('top-card-visitors').getByTestId('top-card-value').textContent(), {
          timeout: 20_000,
        })
        .toBe('12');
      await expect.poll(() => shared.locator('[aria-busy="true"]').count(), { timeout: 20_000 }).toBe(0);
      // Read-only: no settings, no account menu, no way to the owner's other pages.
      expect(await shared.getByRole('link', { name: 'Settings' }).count()).toBe(0);
      expect(await shared.locator('a[href^="/sites"], a[href^="/orgs"], a[href^="/account"]').count()).toBe(
        0,
      );
      await shared.screenshot({ path: join(shots, `shared-dashboard-${name}.png`), fullPage: true });
      await visitor.close();
    }
  });

  it('asks for the password of a protected link and refuses a wrong one', async () => {
    const url = await createLink({ label: 'Protected', password: 'open sesame 42' });
    const visitor = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const shared = await stack.watchedPage(visitor);
    await shared.goto(local(url));
    await shared.getByLabel('Password').fill('not the password');
    await shared.getByRole('button', { name: 'View dashboard' }).click();
    await expect.poll(() => shared.getByText('That password is not correct.').count()).toBe(1);
    await shared.screenshot({ path: join(shots, 'shared-dashboard-password.png') });
    await shared.getByLabel('Password').fill('open sesame 42');
    await shared.getByRole('button', { name: 'View dashboard' }).click();
    await expect
      .poll(() => shared.getByTestId('top-card-visitors').getByTestId('top-card-value').textContent(), {
        timeout: 20_000,
      })
      .toBe('12');
    // Remembered in this browser: a reload goes straight to the stats.
    await shared.reload();
    await expect
      .poll(() => shared.getByTestId('top-card-visitors').getByTestId('top-card-value').textContent(), {
        timeout: 20_000,
      })
      .toBe('12');
    await visitor.close();
  });

  it('stops working once revoked in the settings', async () => {
    await page.goto(`${stack.dashboardUrl}/sites/${domain}/settings`);
    await page.getByRole('button', { name: 'Revoke Board' }).click();
    await expect.poll(() => page.getByText(/^revoked /).count(), { timeout: 20_000 }).toBe(1);
    const visitor = await stack.browser.newContext();
    const shared = await stack.watchedPage(visitor);
    await shared.goto(local(publicUrl));
    await expect
      .poll(
        () => shared.getByText('This shared dashboard does not exist, was revoked, or has expired.').count(),
        {
          timeout: 20_000,
        },
      )
      .toBe(1);
    await visitor.close();
  });
});

/** 12 visitors over the last hours on a few pages and countries. */
async function seed(stack: ProductStack, siteId: number): Promise<void> {
  const rows: EventRow[] = [];
  for (let v = 0; v < 12; v++)
    rows.push({
      site_id: siteId,
      timestamp: new Date(Date.now() - (v + 1) * 15 * 60_000).toISOString().slice(0, 19).replace('T', ' '),
      name: 'pageview',
      hostname: 'shared.example',
      pathname: ['/', '/pricing', '/blog'][v % 3] ?? '/',
      referrer: '',
      referrer_source: v % 2 ? 'Google' : '',
      utm_source: '',
      utm_medium: '',
      utm_campaign: '',
      utm_content: '',
      utm_term: '',
      country_code: ['DE', 'US', 'FR'][v % 3] ?? 'DE',
      browser: 'Firefox',
      browser_version: '130',
      os: 'Linux',
      os_version: '',
      device: 'Desktop',
      visitor_id: BigInt(7000 + v),
      session_id: BigInt(8000 + v),
      event_id: BigInt(70_000 + v),
      props_keys: [],
      props_values: [],
      revenue_amount: 0,
      revenue_currency: '',
    });
  await new EventsRepository(stack.ctx.clickhouse).insertJsonLines(rows.map(serializeEventRow));
}
