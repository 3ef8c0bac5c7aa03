import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { ProductStack, SCREENSHOTS } from './product-stack';

/**
 * A Free org's settings offer no form that would fail with 402: the funnels, email reports, shared
 * links and API keys sections show an upgrade note linking to billing; on Premium the forms are back.
 */
describe('plan features in the dashboard', () => {
  const stack = new ProductStack();
  const { ctx } = stack;
  const domain = `gated-${ctx.runId}.e2e.example`;
  const email = `gated-${ctx.runId}@example.test`;
  const password = 'a long enough password';
  let context: BrowserContext;
  let page: Page;
  let orgId = '';

  beforeAll(async () => {
    await stack.start([]);
    context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await stack.watchedPage(context);
    orgId = await stack.signUp(page, email, password);
    await stack.addSite(page, orgId, domain);
  });
  afterAll(() => stack.stop());

  const section = (p: Page, heading: string) =>
    p.locator('section', { has: p.getByRole('heading', { name: heading, exact: true }) });

  it('shows upgrade notes instead of forms on Free, linking to billing', async () => {
    await page.goto(`${stack.dashboardUrl}/sites/${domain}/settings`);
    const funnels = section(page, 'Funnels');
    await expect
      .poll(() => funnels.getByRole('note').textContent(), { timeout: 30_000 })
      .toBe('Funnels are not included in the Free plan. Upgrade to Premium to use them.');
    expect(await funnels.getByRole('button', { name: 'New funnel' }).count()).toBe(0);
    const links = section(page, 'Shared links');
    expect(await links.getByRole('note').textContent()).toBe(
      'Shared links are not included in the Free plan. Upgrade to Premium to use them.',
    );
    expect(await links.getByRole('button', { name: 'Create link' }).count()).toBe(0);
    const reports = section(page, 'Email reports');
    expect(await reports.getByRole('note').textContent()).toBe(
      'Email reports are not included in the Free plan. Upgrade to Basic to use them.',
    );
    expect(await reports.getByLabel(/Weekly report/).isDisabled()).toBe(true);

    for (const [name, options] of [
      ['light', { colorScheme: 'light', viewport: { width: 1280, height: 900 } }],
      ['dark', { colorScheme: 'dark', viewport: { width: 1280, height: 900 } }],
      ['phone', { colorScheme: 'light', viewport: { width: 390, height: 844 }, isMobile: true }],
    ] as const) {
      const viewer = await stack.browser.newContext(options);
      await viewer.addCookies(await context.cookies());
      const p = await stack.watchedPage(viewer);
      await p.goto(`${stack.dashboardUrl}/sites/${domain}/settings#funnels`);
      const gated = section(p, 'Funnels');
      await gated.getByRole('note').waitFor({ timeout: 30_000 });
      await gated.scrollIntoViewIfNeeded();
      await gated.screenshot({ path: join(SCREENSHOTS, `plan-feature-gate-${name}.png`) });
      await viewer.close();
    }

    await page.goto(`${stack.dashboardUrl}/orgs/${orgId}/settings`);
    const keys = section(page, 'API keys');
    await expect
      .poll(() => keys.getByRole('note').textContent(), { timeout: 30_000 })
      .toBe('The Stats API is not included in the Free plan. Upgrade to Basic to use it.');
    expect(await keys.getByRole('button', { name: 'Create key' }).count()).toBe(0);
    await keys.getByRole('link', { name: 'Upgrade to Basic' }).click();
    await page.waitForURL(new RegExp(`/orgs/${orgId}/billing`));
  });

  it('shows the forms again once the org is on Premium', async () => {
    await stack.setPlan(orgId, 'premium');
    await page.goto(`${stack.dashboardUrl}/sites/${domain}/settings`);
    await section(page, 'Funnels').getByRole('button', { name: 'New funnel' }).waitFor({ timeout: 30_000 });
    expect(await section(page, 'Funnels').getByRole('note').count()).toBe(0);
    expect(await section(page, 'Shared links').getByRole('button', { name: 'Create link' }).count()).toBe(1);
    expect(
      await section(page, 'Email reports')
        .getByLabel(/Weekly report/)
        .isDisabled(),
    ).toBe(false);
  });
});
