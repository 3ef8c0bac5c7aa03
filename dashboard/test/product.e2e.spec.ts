import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { MeResponse } from '@sightline/api-contract';
import { DESKTOP_CHROME_UA } from '@sightline/testing';
import { FIREFOX_UA, IPHONE_UA, ProductStack, SCREENSHOTS as shots } from './product-stack';

/**
 * The product as a new customer meets it: sign up in the dashboard, add a site, paste the snippet
 * into their pages, watch the first visit arrive live, and narrow the numbers with a filter.
 * Real API, ingest, Redis, ClickHouse, the production dashboard build, and Chromium.
 */
describe('sign up → add site → visit → live dashboard', () => {
  const stack = new ProductStack();
  const { ctx, mail } = stack;
  const domain = `shop-${ctx.runId}.e2e.example`;
  let receiver: ProductStack['receiver'];
  let dashboardUrl = '';
  let customer: ProductStack['customer'];
  let browser: Browser;
  let owner: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await stack.start([domain]);
    ({ receiver, dashboardUrl, customer, browser } = stack);
    owner = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await stack.watchedPage(owner);
  });
  afterAll(() => stack.stop());

  async function visit(path: string, userAgent: string) {
    const visitor = await browser.newContext({ userAgent });
    const visitorPage = await visitor.newPage();
    const sent = visitorPage.waitForResponse((r) => r.url().endsWith('/api/event'));
    await visitorPage.goto(`http://${domain}:${customer.port}${path}`);
    expect((await sent).status()).toBe(202);
    await visitor.close();
  }

  const cardValue = (metric: string) => page.getByTestId(`top-card-${metric}`).getByTestId('top-card-value');

  it('signs a new customer up and shows an empty sites list', async () => {
    await page.goto(`${dashboardUrl}/login`);
    await page.screenshot({ path: join(shots, 'login.png') });
    await page.goto(`${dashboardUrl}/signup`);
    await page.getByLabel(/email/i).fill(`owner-${ctx.runId}@example.test`);
    await page.getByLabel(/^password/i).fill('a long enough password');
    await page.screenshot({ path: join(shots, 'signup.png') });
    await page.getByRole('button', { name: /sign up|create account/i }).click();
    await page.waitForURL(/\/sites/);
    await expect.poll(() => mail.mails.some((m) => /Confirm your email/.test(m.subject))).toBe(true);
    await page.screenshot({ path: join(shots, 'sites-empty.png') });
  });

  it('adds a site, shows the snippet, and turns green when the first event arrives', async () => {
    await page.goto(`${dashboardUrl}/sites/new`);
    await page.getByLabel(/domain/i).fill(`https://${domain}/`);
    await page.getByRole('button', { name: /add (site|website)/i }).click();
    const snippetBlock = page.getByTestId('snippet');
    await expect
      .poll(async () => (await snippetBlock.textContent()) ?? '')
      .toContain(`data-domain="${domain}"`);
    stack.snippet = (await snippetBlock.textContent()) ?? '';
    expect(stack.snippet).toContain(`${receiver.url}/js/script.js`);
    await expect.poll(() => page.getByTestId('site-status').getAttribute('data-state')).toBe('waiting');
    await page.screenshot({ path: join(shots, 'add-site-waiting.png') });

    await visit('/', DESKTOP_CHROME_UA);
    await expect
      .poll(() => page.getByTestId('site-status').getAttribute('data-state'), { timeout: 20_000 })
      .toBe('receiving');
    await page.screenshot({ path: join(shots, 'add-site-receiving.png') });
  });

  it('shows the visit on the dashboard and moves the realtime badge live, without reload', async () => {
    await page.goto(`${dashboardUrl}/sites/${domain}`);
    await expect.poll(() => cardValue('visitors').textContent(), { timeout: 20_000 }).toBe('1');
    await expect
      .poll(() => page.getByTestId('current-visitors').getAttribute('data-visitors'), { timeout: 20_000 })
      .toBe('1');

    await visit('/pricing', IPHONE_UA); // a second visitor, on a phone
    await expect
      .poll(() => page.getByTestId('current-visitors').getAttribute('data-visitors'), { timeout: 20_000 })
      .toBe('2');
    await expect.poll(() => cardValue('visitors').textContent(), { timeout: 20_000 }).toBe('2');
    await expect.poll(() => cardValue('pageviews').textContent()).toBe('2');
    await page.screenshot({ path: join(shots, 'site-dashboard.png'), fullPage: true });
  });

  it('narrows the numbers when a breakdown row is clicked, and keeps the filter in the URL', async () => {
    await page.locator('[data-testid="breakdown-row"][data-dimension="/pricing"]').first().click();
    await expect.poll(() => page.getByTestId('filter-chip').count()).toBe(1);
    await expect.poll(() => cardValue('visitors').textContent()).toBe('1');
    expect(decodeURIComponent(page.url())).toContain('/pricing');
    const shared = page.url();
    await page.screenshot({ path: join(shots, 'site-dashboard-filtered.png'), fullPage: true });

    // The bookmarked URL opens the same view.
    const again = await owner.newPage();
    await again.goto(shared);
    await expect
      .poll(() => again.getByTestId('top-card-visitors').getByTestId('top-card-value').textContent())
      .toBe('1');
    await again.close();
  });

  it('filters by any dimension and condition from the Filter dialog', async () => {
    await page.goto(`${dashboardUrl}/sites/${domain}`);
    await expect.poll(() => cardValue('visitors').textContent()).toBe('2');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Apply filter' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe('Enter a value to filter by');

    await dialog.getByLabel('Dimension').selectOption('event:page');
    await dialog.getByLabel('Condition').selectOption('contains_not');
    await dialog.getByLabel('Value').fill('pric');
    await expect.poll(() => dialog.getByRole('alert').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'filter-dialog.png') });
    await dialog.getByRole('button', { name: 'Apply filter' }).click();
    await expect
      .poll(() => page.getByTestId('filter-chip').textContent())
      .toContain('Page does not contain pric');
    // Only the desktop visitor saw a page without "pric" in it.
    await expect.poll(() => cardValue('visitors').textContent()).toBe('1');
    expect(new URL(page.url()).searchParams.getAll('f')).toEqual(['contains_not,event:page,pric']);
    await page.getByRole('button', { name: /^Remove filter/ }).click();
    await expect.poll(() => cardValue('visitors').textContent()).toBe('2');
  });

  it('renders the main pages in dark mode and on a phone', async () => {
    const dark = await browser.newContext({
      colorScheme: 'dark',
      viewport: { width: 1280, height: 900 },
      storageState: await owner.storageState(),
    });
    const darkPage = await dark.newPage();
    await darkPage.goto(`${dashboardUrl}/sites/${domain}`);
    await expect
      .poll(() => darkPage.getByTestId('top-card-visitors').getByTestId('top-card-value').textContent())
      .toBe('2');
    await darkPage.screenshot({ path: join(shots, 'site-dashboard-dark.png'), fullPage: true });
    await dark.close();

    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      storageState: await owner.storageState(),
    });
    const phonePage = await phone.newPage();
    await phonePage.goto(`${dashboardUrl}/sites/${domain}`);
    await expect
      .poll(() => phonePage.getByTestId('top-card-visitors').getByTestId('top-card-value').textContent())
      .toBe('2');
    const overflow = await phonePage.evaluate<number>(
      'document.documentElement.scrollWidth - window.innerWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0); // nothing wider than the phone
    await phonePage.screenshot({ path: join(shots, 'site-dashboard-phone.png'), fullPage: true });
    for (const [name, path] of [
      ['sites', '/sites'],
      ['site-settings', `/sites/${domain}/settings`],
      ['account', '/account'],
    ] as const) {
      await page.goto(`${dashboardUrl}${path}`);
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    }
    await phone.close();
  });

  it('creates an API key shown once that reads the stats API, and revokes it only after confirming', async () => {
    // API keys are the Stats API, a Basic feature: the customer subscribes first.
    const me = (await page.evaluate(() => fetch('/api/auth/me').then((r) => r.json()))) as MeResponse;
    await stack.setPlan(me.orgs[0]?.orgId ?? '', 'basic');
    await page.goto(`${dashboardUrl}/sites`);
    await page.getByRole('link', { name: 'Team' }).click();
    // Renaming the org shows in the header's org switcher without a reload.
    await page.getByLabel('Organization name').fill('Shop Analytics');
    await page.getByRole('button', { name: 'Save name' }).click();
    await expect
      .poll(() => page.locator('#org-switcher option:checked').textContent())
      .toBe('Shop Analytics');
    await page.getByLabel('Key name').waitFor();
    await page.screenshot({ path: join(shots, 'org-settings.png'), fullPage: true });
    await page.getByLabel('Key name').fill('Reporting script');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.locator('pre.code-block', { hasText: /^sl_/ });
    const key = ((await shown.textContent()) ?? '').trim();
    expect(key).toMatch(/^sl_\S{20,}$/);

    const query = () =>
      fetch(`${dashboardUrl}/api/v2/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ site_id: domain, metrics: ['visitors', 'pageviews'], date_range: 'day' }),
      });
    const ok = await query();
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { results: { metrics: number[] }[] }).results[0]?.metrics).toEqual([2, 2]);

    // Once dismissed, the key is never shown again; the table keeps only its prefix.
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByText(key).count()).toBe(0);
    const row = page.getByRole('row', { name: /Reporting script/ });
    const dialog = page.getByRole('dialog');

    // Escape cancels: nothing is revoked.
    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    // Focus starts on Cancel, so a stray Enter cannot revoke.
    await expect.poll(() => page.evaluate('document.activeElement?.textContent')).toBe('Cancel');
    await page.screenshot({ path: join(shots, 'confirm-dialog.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect((await query()).status).toBe(200);

    await row.getByRole('button', { name: 'Revoke' }).click();
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await expect.poll(() => row.count()).toBe(0);
    expect((await query()).status).toBe(401);
  });

  it('lists custom events as goals, and a goal filter turns the numbers into conversions', async () => {
    // A third visitor signs up: the page sends a pageview and a Signup event.
    const visitor = await browser.newContext({ userAgent: FIREFOX_UA });
    const visitorPage = await visitor.newPage();
    const statuses: number[] = [];
    visitorPage.on('response', (r) => {
      if (r.url().endsWith('/api/event')) statuses.push(r.status());
    });
    await visitorPage.goto(`http://${domain}:${customer.port}/signup`);
    await expect.poll(() => statuses).toEqual([202, 202]);
    await visitor.close();
    // Stored before the dashboard loads: a page opened between the store and its live message would
    // only see it on the next refresh.
    await expect
      .poll(
        async () => {
          const res = await page.request.post(`${dashboardUrl}/api/v2/query`, {
            headers: { origin: dashboardUrl },
            data: {
              site_id: domain,
              metrics: ['events'],
              date_range: 'day',
              filters: [['is', 'event:name', ['Signup']]],
            },
          });
          return ((await res.json()) as { results: { metrics: number[] }[] }).results[0]?.metrics[0];
        },
        { timeout: 20_000 },
      )
      .toBe(1);

    await page.goto(`${dashboardUrl}/sites/${domain}`);
    const goal = page.locator('[data-testid="breakdown-row"][data-dimension="Signup"]');
    // 1 of the 3 visitors converted, with 1 event.
    await expect
      .poll(() => goal.locator('[data-metric="conversion_rate"]').textContent(), { timeout: 20_000 })
      .toBe('33.3%');
    expect(await goal.locator('[data-metric="events"]').textContent()).toBe('1');

    await goal.click();
    await expect.poll(() => page.getByTestId('filter-chip').textContent()).toContain('Event is Signup');
    const conversionRate = page.getByTestId('top-card-conversion_rate').getByTestId('top-card-value');
    await expect.poll(() => conversionRate.textContent()).toBe('33.3%');
    await expect.poll(() => cardValue('visitors').textContent()).toBe('1');
    // Breakdowns list converting rows with their own rate: 1 of the 2 desktop visitors.
    const desktop = page.locator('[data-testid="breakdown-row"][data-dimension="Desktop"]');
    await expect
      .poll(() => desktop.locator('[data-metric="group_conversion_rate"]').textContent())
      .toBe('50%');
    expect(await page.locator('[data-testid="breakdown-row"][data-dimension="Mobile"]').count()).toBe(0);
    await page.evaluate('window.scrollTo(0, 0)'); // the sticky header belongs at the top of the shot
    await page.screenshot({ path: join(shots, 'site-dashboard-goal.png'), fullPage: true });
  });

  it('exports the view as a zip of CSV files', async () => {
    await page.goto(`${dashboardUrl}/sites/${domain}`);
    await expect.poll(() => cardValue('visitors').textContent()).toBe('3');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`sightline-${domain}-30d.zip`);
    const files = unzipSync(new Uint8Array(await readFile(await download.path())));
    const csv = (name: string) => strFromU8(files[name] ?? new Uint8Array()).split('\r\n');
    expect(Object.keys(files)).toContain('visitors.csv');
    expect(csv('visitors.csv')[0]).toBe('day,visitors,visits,pageviews,bounce_rate,visit_duration');
    expect(csv('visitors.csv').filter(Boolean)).toHaveLength(31); // header + the 30 days
    // No engagement pings from script.js: scroll depth and time on page are empty, not 0.
    expect(csv('pages.csv')).toEqual(
      expect.arrayContaining(['page,visitors,pageviews,scroll_depth,time_on_page', '/pricing,1,1,,']),
    );
    expect(csv('custom_events.csv')).toEqual([
      'name,visitors,events,total_revenue,average_revenue',
      'Signup,1,1,0,0',
      '',
    ]);
    // The Signup of this shop carries no properties.
    expect(csv('custom_props.csv')).toEqual(['property,value,visitors,events', '']);
    // The Performance panel's numbers too (this site has no vitals: the header and five empty metrics).
    expect(csv('web_vitals.csv')[0]).toBe('metric,p75,band,page_loads,good,needs_improvement,poor');
    expect(csv('web_vitals.csv')[1]).toBe('lcp,,,0,0,0,0');
  });

  it('serves fingerprinted assets as immutable and signed-in HTML as private, no-store', async () => {
    const html = await fetch(`${dashboardUrl}/sites`);
    expect(html.headers.get('cache-control')).toContain('no-store');
    const body = await html.text();
    const asset = /\/_next\/static\/[^"']+\.js/.exec(body)?.[0];
    expect(asset).toBeDefined();
    const res = await fetch(`${dashboardUrl}${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
  });

  it('serves country flags as cacheable SVG images and refuses anything that is not a country code', async () => {
    const flag = await fetch(`${dashboardUrl}/flags/DE`);
    expect(flag.status).toBe(200);
    expect(flag.headers.get('content-type')).toBe('image/svg+xml');
    expect(flag.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
    expect(await flag.text()).toMatch(/^<svg[\s\S]*<\/svg>$/);
    for (const bad of ['XX', 'de', 'DEU', '..%2Fpackage.json', '%3Cscript%3E']) {
      const res = await fetch(`${dashboardUrl}/flags/${bad}`);
      expect(res.status, bad).toBe(404);
      expect(res.headers.get('content-type'), bad).not.toContain('svg');
    }
  });
});
