import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { EventsRepository, WebVitalsRepository } from '@sightline/clickhouse';
import { serializeEventRow, serializeVitalsRow, type EventRow, type VitalsRow } from '@sightline/events';
import { ProductStack, SCREENSHOTS } from './product-stack';

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Every page a customer reaches, scanned with axe-core in light and dark mode and on a phone:
 * no serious or critical violation (contrast, names, ARIA misuse, focus traps) may ship. A new
 * page joins this list when it is added.
 */
describe('accessibility: axe-core finds no serious or critical violation on any page', () => {
  const stack = new ProductStack();
  const { ctx } = stack;
  const domain = `a11y-${ctx.runId}.e2e.example`;
  let orgId = '';
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await stack.start([]);
    context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await stack.watchedPage(context);
    orgId = await stack.signUp(page, `a11y-${ctx.runId}@example.test`);
    await stack.setPlan(orgId, 'premium'); // every section's form, funnels and shared links included
    const siteId = await stack.addSite(page, orgId, domain);
    await seedTraffic(stack, siteId);
    // The Imports section of site settings with a finished and a failed import in its list.
    await ctx.pool.query(
      `INSERT INTO site_imports (site_id, source, status, file_name, file_bytes, progress, rows_imported, start_date, end_date, error)
       VALUES ($1, 'plausible', 'completed', 'plausible-export.zip', 2048, 100, 120, '2025-01-01', '2025-06-30', NULL),
              ($1, 'umami', 'failed', 'umami.csv', 512, 0, 0, NULL, NULL, 'umami.csv line 2: created_at "x" is not a date-time')`,
      [siteId],
    );
    // A funnel, so the dashboard shows the Funnels panel's chart and table (not its empty state).
    await page.evaluate(
      (domain) =>
        fetch(`/api/sites/${domain}/funnels`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            name: 'Pricing',
            steps: [
              { kind: 'page', pattern: '/' },
              { kind: 'page', pattern: '/pricing' },
            ],
          }),
        }),
      domain,
    );
  });
  afterAll(() => stack.stop());

  const results = new Map<string, AxeViolation[]>();

  async function scanned(
    name: string,
    path: string,
    opts: { signedOut?: boolean; prepare?: (p: Page) => Promise<void> } = {},
  ): Promise<void> {
    for (const scheme of ['light', 'dark'] as const) {
      const target = opts.signedOut ? await stack.browser.newContext() : context;
      const p = opts.signedOut ? await target.newPage() : page;
      await p.emulateMedia({ colorScheme: scheme });
      await p.goto(`${stack.dashboardUrl}${path}`);
      await p.waitForLoadState('networkidle');
      // Skeletons are replaced by data; scan what the customer reads, not the loading state.
      await expect.poll(() => p.locator('[aria-busy="true"]').count(), { timeout: 20_000 }).toBe(0);
      await opts.prepare?.(p);
      await p.addScriptTag({ path: AXE_SCRIPT });
      // Runs in the page; this file is type-checked without the DOM library, hence the casts.
      const found = await p.evaluate(async () => {
        const page = globalThis as unknown as {
          axe: { run: (ctx: unknown, o: object) => Promise<{ violations: AxeViolation[] }> };
          document: unknown;
        };
        return (await page.axe.run(page.document, { resultTypes: ['violations'] })).violations;
      });
      const violations = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      await p.screenshot({ path: join(SCREENSHOTS, `a11y-${name}-${scheme}.png`), fullPage: true });
      results.set(`${name} (${scheme})`, violations);
      if (opts.signedOut) await target.close();
    }
  }

  /** Each page's violations in both colour schemes, as readable lines; all pages at once, so one run lists every finding. */
  function violationsOf(...names: string[]): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const name of names)
      for (const scheme of ['light', 'dark'])
        out[`${name} (${scheme})`] = (results.get(`${name} (${scheme})`) ?? []).map(
          (v) =>
            `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join(' | ')}`,
        );
    return out;
  }
  const none = (...names: string[]) =>
    Object.fromEntries(names.flatMap((n) => [`${n} (light)`, `${n} (dark)`].map((k) => [k, []])));

  it('signed-out pages: log-in, sign-up, password reset', async () => {
    await scanned('login', '/login', { signedOut: true });
    await scanned('signup', '/signup', { signedOut: true });
    await scanned('reset-password', '/reset-password', { signedOut: true });
    const pages = ['login', 'signup', 'reset-password'];
    expect(violationsOf(...pages)).toEqual(none(...pages));
  });

  it('sites list, add-site page and the site dashboard with data', async () => {
    await scanned('sites', '/sites');
    await scanned('sites-new', '/sites/new');
    await scanned('dashboard', `/sites/${domain}`);
    const pages = ['sites', 'sites-new', 'dashboard'];
    expect(violationsOf(...pages)).toEqual(none(...pages));
  });

  it('the Locations map shades the countries with visitors, names them on hover and filters on click', async () => {
    await page.goto(`${stack.dashboardUrl}/sites/${domain}`);
    const map = page.getByTestId('world-map');
    await expect.poll(() => map.locator('path.has-visitors').count()).toBe(8);
    // 40 visitors over 8 countries, 5 each (see seedTraffic); Germany is one of them.
    const germany = map.locator('path[data-country="DE"]');
    expect(await germany.getAttribute('data-visitors')).toBe('5');
    await germany.hover();
    await expect.poll(() => page.getByTestId('world-map-tooltip').textContent()).toBe('Germany5 visitors');
    await germany.click();
    await expect.poll(() => page.getByTestId('filter-chip').count()).toBe(1);
    await expect
      .poll(() => page.getByTestId('top-card-visitors').getByTestId('top-card-value').textContent())
      .toBe('5');
  });

  it('site settings, team settings and account pages', async () => {
    await scanned('site-settings', `/sites/${domain}/settings`);
    await scanned('org-settings', `/orgs/${orgId}/settings`);
    await scanned('account', '/account');
    // The funnel editor, open.
    await scanned('funnel-editor', `/sites/${domain}/settings`, {
      prepare: async (p) => {
        await p.getByRole('button', { name: 'Edit Pricing' }).click();
        await p.getByTestId('funnel-step-editor').first().waitFor();
      },
    });
    const pages = ['site-settings', 'funnel-editor', 'org-settings', 'account'];
    expect(violationsOf(...pages)).toEqual(none(...pages));
  });

  it('a shared dashboard link and its password form, signed out', async () => {
    const linkPath = async (body: object) => {
      const link = (await page.evaluate(
        ({ domain, body }) =>
          fetch(`/api/sites/${domain}/shared-links`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }).then((r) => r.json()),
        { domain, body },
      )) as { url: string };
      return new URL(link.url).pathname;
    };
    await scanned('shared-dashboard', await linkPath({ label: 'a11y' }), { signedOut: true });
    await scanned('shared-password', await linkPath({ label: 'a11y pw', password: 'a11y password' }), {
      signedOut: true,
    });
    const pages = ['shared-dashboard', 'shared-password'];
    expect(violationsOf(...pages)).toEqual(none(...pages));
  });

  it('the Performance panel shows p75 per web vital with its band, and the slowest pages', async () => {
    await page.goto(`${stack.dashboardUrl}/sites/${domain}`);
    const panel = page.getByRole('region', { name: 'Performance' });
    await expect.poll(() => panel.locator('li').count(), { timeout: 20_000 }).toBe(5);
    expect(await panel.locator('li abbr').allTextContents()).toEqual(['LCP', 'INP', 'CLS', 'FCP', 'TTFB']);
    expect(await panel.getByRole('img', { name: /^LCP: \d+% good/ }).count()).toBe(1);
    expect(await panel.locator('tbody tr').count()).toBe(4);
    await panel.getByRole('button', { name: 'CLS' }).click();
    expect(await panel.getByRole('button', { name: 'CLS' }).getAttribute('aria-pressed')).toBe('true');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await panel.scrollIntoViewIfNeeded();
      await panel.screenshot({ path: join(SCREENSHOTS, `performance-panel-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('the site dashboard on a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await scanned('dashboard-phone', `/sites/${domain}`);
    const panel = page.getByRole('region', { name: 'Performance' });
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: join(SCREENSHOTS, 'performance-panel-phone.png') });
    expect(violationsOf('dashboard-phone')).toEqual(none('dashboard-phone'));
  });

  it('the settings pages on a phone: none is wider than the screen, every Revoke button is on it', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const post = (path: string, body: object) =>
      page.evaluate(
        ({ path, body }) =>
          fetch(path, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }).then((r) => r.status),
        { path, body },
      );
    // Rows with Revoke buttons in every list: API keys, invitations, shared links, a second session.
    expect(await post(`/api/orgs/${orgId}/api-keys`, { name: 'Reporting script' })).toBe(201);
    expect(await post(`/api/orgs/${orgId}/invitations`, { email: 'mate@example.test', role: 'viewer' })).toBe(
      201,
    );
    expect(await post(`/api/sites/${domain}/shared-links`, { label: 'Investors' })).toBe(201);
    expect(
      await post(`/api/sites/${domain}/shared-links`, { label: 'Board', password: 'a board password' }),
    ).toBe(201);
    const other = await stack.browser.newContext();
    try {
      const otherPage = await other.newPage();
      await otherPage.goto(`${stack.dashboardUrl}/login`);
      await otherPage.getByLabel(/email/i).fill(`a11y-${ctx.runId}@example.test`);
      await otherPage.getByLabel(/^password/i).fill('a long enough password');
      await otherPage.getByRole('button', { name: /log in/i }).click();
      await otherPage.waitForURL(/\/sites/);
    } finally {
      await other.close();
    }

    const pages = [
      ['org-settings-phone', `/orgs/${orgId}/settings`],
      ['site-settings-phone', `/sites/${domain}/settings`],
      ['account-phone', '/account'],
    ] as const;
    const problems: string[] = [];
    for (const [name, path] of pages) {
      await scanned(name, path);
      // Runs in the page; this file is type-checked without the DOM library, hence the casts.
      const layout = await page.evaluate(() => {
        const g = globalThis as unknown as {
          innerWidth: number;
          document: {
            documentElement: { scrollWidth: number };
            querySelectorAll: (selector: string) => ArrayLike<{
              textContent: string | null;
              getBoundingClientRect: () => { left: number; right: number };
            }>;
          };
        };
        const revoke = Array.from(g.document.querySelectorAll('button'))
          .filter((b) => b.textContent?.trim() === 'Revoke')
          .map((b) => b.getBoundingClientRect());
        return {
          width: g.document.documentElement.scrollWidth,
          viewport: g.innerWidth,
          revoke: revoke.map((r) => ({ left: Math.round(r.left), right: Math.round(r.right) })),
        };
      });
      if (layout.width > layout.viewport)
        problems.push(`${path}: ${layout.width} px wide on a ${layout.viewport} px screen`);
      if (layout.revoke.length === 0) problems.push(`${path}: no Revoke button`);
      for (const { left, right } of layout.revoke)
        if (left < 0 || right > layout.viewport)
          problems.push(
            `${path}: a Revoke button at ${left}–${right} px, off a ${layout.viewport} px screen`,
          );
    }
    expect(problems).toEqual([]);
    const names = pages.map(([name]) => name);
    expect(violationsOf(...names)).toEqual(none(...names));
  });
});

/** A day of varied traffic (pages, sources, countries, devices), so every panel has rows to scan. */
async function seedTraffic(stack: ProductStack, siteId: number): Promise<void> {
  const countries = ['DE', 'US', 'FR', 'BR', 'JP', 'IN', 'GB', 'NL'];
  const sources = ['', 'Google', 'Twitter', 'Hacker News'];
  const now = Date.now();
  const rows: EventRow[] = [];
  for (let v = 0; v < 40; v++) {
    const at = new Date(now - (v + 1) * 20 * 60_000);
    for (let i = 0; i < 1 + (v % 3); i++) {
      rows.push({
        site_id: siteId,
        timestamp: new Date(at.getTime() + i * 30_000).toISOString().slice(0, 19).replace('T', ' '),
        name: 'pageview',
        hostname: 'a11y.example',
        pathname: ['/', '/pricing', '/blog/hello', '/docs'][(v + i) % 4] ?? '/',
        referrer: '',
        referrer_source: i === 0 ? (sources[v % sources.length] ?? '') : '',
        utm_source: '',
        utm_medium: '',
        utm_campaign: '',
        utm_content: '',
        utm_term: '',
        country_code: countries[v % countries.length] ?? 'DE',
        browser: v % 2 ? 'Firefox' : 'Chrome',
        browser_version: '130',
        os: v % 2 ? 'Linux' : 'Windows',
        os_version: '',
        device: v % 5 === 0 ? 'Mobile' : 'Desktop',
        visitor_id: BigInt(1000 + v),
        session_id: BigInt(5000 + v),
        event_id: BigInt(90_000 + v * 10 + i),
        props_keys: [],
        props_values: [],
        revenue_amount: 0,
        revenue_currency: '',
      });
    }
  }
  await new EventsRepository(stack.ctx.clickhouse).insertJsonLines(rows.map(serializeEventRow));
  // Web vitals for the Performance panel: every band, a few pages, some loads without INP.
  const vitals: VitalsRow[] = rows.map((row, i) => ({
    event_id: row.event_id,
    visitor_id: row.visitor_id,
    site_id: siteId,
    timestamp: row.timestamp,
    hostname: row.hostname,
    pathname: row.pathname,
    country_code: row.country_code,
    browser: row.browser,
    os: row.os,
    device: row.device,
    lcp: 1200 + ((i * 397) % 4200),
    inp: i % 3 === 0 ? -1 : 80 + ((i * 53) % 520),
    cls: ((i * 7) % 30) / 100,
    fcp: 700 + ((i * 211) % 2600),
    ttfb: 150 + ((i * 97) % 1900),
  }));
  await new WebVitalsRepository(stack.ctx.clickhouse).insertJsonLines(vitals.map(serializeVitalsRow));
}
