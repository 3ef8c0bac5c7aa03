import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { WebVitalsRepository } from '@sightline/clickhouse';
import { serializeVitalsRow, type EventRow } from '@sightline/events';
import { eventRow, insertRows } from '@sightline/testing';
import { ProductStack, SCREENSHOTS as shots } from './product-stack';

/**
 * Shared dashboards in the browser: the owner creates links in the site's settings, a visitor
 * without an account opens one and sees the whole dashboard read-only (light, dark, phone) — the
 * Goals › Properties, Funnels and Performance panels included, through the link's own routes —, a
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
    const orgId = await stack.signUp(page, `shared-${ctx.runId}@example.test`);
    await stack.setPlan(orgId, 'premium'); // funnels and shared links are Premium features
    const siteId = await stack.addSite(page, orgId, domain);
    await seed(stack, siteId);
    // Revenue is shown in the site's currency, which the link's visitor learns from the link.
    const patched = await page.evaluate(
      (domain) =>
        fetch(`/api/sites/${domain}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ currency: 'EUR' }),
        }).then((r) => r.status),
      domain,
    );
    expect(patched).toBe(200);
    const funnel = await page.evaluate(
      (domain) =>
        fetch(`/api/sites/${domain}/funnels`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            name: 'Home to signup',
            steps: [
              { kind: 'page', pattern: '/' },
              { kind: 'event', name: 'Signup' },
            ],
          }),
        }).then((r) => r.status),
      domain,
    );
    expect(funnel).toBe(201);
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
      // Every panel reads through the link's routes: no member-only route is tried (and refused).
      const refused: string[] = [];
      shared.on('response', (r) => {
        if (r.url().includes('/api/') && r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
      });
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
      // Funnels: the site's funnel, read-only (no editing, no way to the settings).
      const funnels = shared.getByTestId('funnels-panel');
      await expect
        .poll(
          () => funnels.getByTestId('funnel-step').locator('[data-metric="visitors"]').allTextContents(),
          {
            timeout: 20_000,
          },
        )
        .toEqual(['4', '2']);
      expect(await funnels.getByRole('link').count()).toBe(0);
      // Performance: the site's web vitals.
      const performance = shared.locator('section', {
        has: shared.getByRole('heading', { name: 'Performance' }),
      });
      await expect
        .poll(() => performance.getByRole('img', { name: /^LCP: 100% good/ }).count(), { timeout: 20_000 })
        .toBe(1);
      expect(await performance.getByText('No web vitals in this period').count()).toBe(0);
      // Goals › Properties: the keys of the link's site.
      const goals = shared.locator('section.panel', { has: shared.getByRole('heading', { name: 'Goals' }) });
      await expect
        .poll(
          () =>
            goals
              .locator('[data-testid="breakdown-row"][data-dimension="Signup"]')
              .locator('[data-metric="total_revenue"]')
              .textContent(),
          { timeout: 20_000 },
        )
        .toBe('€60.00');
      await goals.getByRole('tab', { name: 'Properties' }).click();
      await expect
        .poll(() => goals.getByRole('combobox', { name: 'Property' }).locator('option').allTextContents(), {
          timeout: 20_000,
        })
        .toEqual(['plan']);
      await expect
        .poll(
          () =>
            goals
              .locator('[data-testid="breakdown-row"][data-dimension="pro"]')
              .locator('[data-metric="visitors"]')
              .textContent(),
          { timeout: 20_000 },
        )
        .toBe('2');
      await expect.poll(() => shared.locator('[aria-busy="true"]').count(), { timeout: 20_000 }).toBe(0);
      if (name === 'light') {
        // The export zip reads every panel through the link's routes too (properties, funnels, vitals).
        const download = shared.waitForEvent('download', { timeout: 30_000 });
        await shared.getByRole('button', { name: 'Export CSV' }).click();
        const files = unzipSync(await readFile((await (await download).path()) ?? ''));
        expect(Object.keys(files)).toEqual(
          expect.arrayContaining(['custom_props.csv', 'funnel-home-to-signup.csv', 'web_vitals.csv']),
        );
        expect(strFromU8(files['custom_props.csv'] ?? new Uint8Array())).toContain('plan,pro,2,2');
      }
      expect(refused).toEqual([]);
      // Read-only: no settings, no account menu, no way to the owner's other pages.
      expect(await shared.getByRole('link', { name: 'Settings' }).count()).toBe(0);
      expect(await shared.locator('a[href^="/sites"], a[href^="/orgs"], a[href^="/account"]').count()).toBe(
        0,
      );
      // Nothing wider than the page (the phone's five-column Goals › Properties table included).
      expect(await shared.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        options.viewport.width,
      );
      const overflowing = await goals.locator('[data-metric]').evaluateAll(
        (cells) =>
          cells.filter((c) => {
            const card = c.closest('section')?.getBoundingClientRect();
            return !!card && c.getBoundingClientRect().right > card.right + 0.5;
          }).length,
      );
      expect(overflowing, name).toBe(0);
      // …and its column headings fit their columns (no text running into the next one).
      const cramped = await goals
        .locator('.breakdown-head > *')
        .evaluateAll((cells) =>
          cells
            .filter((c) => c.scrollWidth > c.clientWidth + 1)
            .map((c) => `${c.textContent} ${c.scrollWidth}>${c.clientWidth}`),
        );
      expect(cramped, name).toEqual([]);
      // …and leaves the value's label readable (not cut to an ellipsis).
      const label = goals.locator('[data-testid="breakdown-row"][data-dimension="pro"] .breakdown-text');
      expect(await label.evaluate((c) => c.scrollWidth <= c.clientWidth), name).toBe(true);
      await shared.evaluate(() => window.scrollTo(0, 0));
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
    rows.push(
      eventRow(siteId, new Date(Date.now() - (v + 1) * 15 * 60_000), {
        hostname: 'shared.example',
        pathname: ['/', '/pricing', '/blog'][v % 3] ?? '/',
        referrer_source: v % 2 ? 'Google' : '',
        country_code: ['DE', 'US', 'FR'][v % 3] ?? 'DE',
        visitor_id: BigInt(7000 + v),
        session_id: BigInt(8000 + v),
      }),
    );
  // Two of the visitors on / sign up with a custom property (the funnel's last step, Goals › Properties).
  for (const v of [0, 3]) {
    const first = rows[v];
    if (first)
      rows.push({
        ...first,
        name: 'Signup',
        event_id: BigInt(71_000 + v),
        props_keys: ['plan'],
        props_values: ['pro'],
        revenue_amount: 30,
        revenue_currency: 'EUR',
      });
  }
  await insertRows(stack.ctx.clickhouse, rows);
  // Three page loads' web vitals, all good (the Performance panel).
  await new WebVitalsRepository(stack.ctx.clickhouse).insertJsonLines(
    [0, 1, 2].map((v) =>
      serializeVitalsRow({
        event_id: BigInt(72_000 + v),
        visitor_id: BigInt(7000 + v),
        site_id: siteId,
        timestamp: new Date(Date.now() - (v + 1) * 15 * 60_000).toISOString().slice(0, 19).replace('T', ' '),
        hostname: 'shared.example',
        pathname: '/',
        country_code: 'DE',
        browser: 'Firefox',
        os: 'Linux',
        device: 'Desktop',
        lcp: 1200,
        inp: 80,
        cls: 0.02,
        fcp: 600,
        ttfb: 120,
      }),
    ),
  );
}
