import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { inheritedEnvironment } from '@sightline/config';
import { PLAN_FEATURE_LABELS, currentPlans } from '@sightline/plans';
import { EMULATOR_PRICE_ENV, StripeEmulator, emulatorPrices } from '@sightline/stripe-emulator';
import { ProductStack, SCREENSHOTS as shots } from './product-stack';

/**
 * A customer upgrades in the dashboard: Billing → "Upgrade to Basic" → the Stripe emulator's
 * checkout page (one submit button) → back on Billing with the new plan. Then the grace banner and
 * the lock screen, in light, dark and phone layouts.
 */
describe('billing: upgrade through the Stripe emulator', () => {
  const stack = new ProductStack();
  const stripe = new StripeEmulator({ prices: emulatorPrices() });
  let owner: BrowserContext;
  let page: Page;
  let orgId = '';

  beforeAll(async () => {
    const stripeUrl = await stripe.start();
    stripe.webhookUrl = `http://127.0.0.1:${inheritedEnvironment().E2E_API_PORT}/api/stripe/webhook`;
    await stack.start([], {
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_URL: stripeUrl,
      ...EMULATOR_PRICE_ENV,
    });
    owner = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await stack.watchedPage(owner);
  });
  afterAll(async () => {
    await stack.stop();
    await stripe.stop();
  });

  it('shows the free plan and the pricing table, and upgrades through checkout', async () => {
    await page.goto(`${stack.dashboardUrl}/signup`);
    await page.getByLabel(/email/i).fill(`billing-${stack.ctx.runId}@example.test`);
    await page.getByLabel(/^password/i).fill('a long enough password');
    await page.getByRole('button', { name: /sign up|create account/i }).click();
    await page.waitForURL(/\/sites/);
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.waitForURL(/\/orgs\/[^/]+\/billing/);
    orgId = /\/orgs\/([^/]+)\/billing/.exec(page.url())?.[1] ?? '';
    await expect.poll(() => page.getByTestId('current-plan').textContent()).toBe('Free');
    await expect.poll(() => page.locator('[data-plan]').count()).toBe(3);
    // Each card names its plan's features as libs/plans names them (one list for the API and this table).
    for (const plan of currentPlans())
      expect(await page.locator(`[data-plan="${plan.code}"] li`).allTextContents()).toEqual(
        expect.arrayContaining(plan.features.map((f) => PLAN_FEATURE_LABELS[f])),
      );
    await page.screenshot({ path: join(shots, 'billing-free.png'), fullPage: true });

    await page.getByRole('button', { name: 'Upgrade to Basic' }).click();
    await page.waitForURL(/\/checkout\/cs_test_/);
    await page.screenshot({ path: join(shots, 'billing-emulator-checkout.png') });
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.waitForURL(/\/orgs\/[^/]+\/billing$/);
    await expect.poll(() => page.getByTestId('current-plan').textContent()).toBe('Basic');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Thank you' }).count()).toBe(1);
    const profile = await stack.ctx.pool.query<{ plan_code: string; subscription_status: string }>(
      'SELECT plan_code, subscription_status FROM billing_profiles WHERE org_id = $1',
      [orgId],
    );
    expect(profile.rows[0]).toEqual({ plan_code: 'basic', subscription_status: 'active' });
    await page.screenshot({ path: join(shots, 'billing-basic.png'), fullPage: true });
  });

  it('shows the grace banner on every page and the lock screen instead of stats, in light, dark and phone layouts', async () => {
    const site = await stack.ctx.newSite({ orgId });
    await stack.ctx.pool.query(
      `INSERT INTO quota_states (org_id, state, reason, grace_started_at, grace_ends_at)
       VALUES ($1, 'grace', 'the last two cycles had 120,000 and 130,000 events, over the quota of 100,000 plus 10 %', now(), now() + interval '7 days')`,
      [orgId],
    );
    await page.goto(`${stack.dashboardUrl}/sites?org=${orgId}`);
    await expect.poll(() => page.getByTestId('quota-banner').textContent()).toContain('Stats lock on');
    await page.screenshot({ path: join(shots, 'billing-grace-banner.png') });

    await stack.ctx.pool.query(
      `UPDATE quota_states SET state = 'locked', locked_at = now() WHERE org_id = $1`,
      [orgId],
    );
    await page.goto(`${stack.dashboardUrl}/sites/${site.domain}`);
    await expect.poll(() => page.getByTestId('quota-lock').textContent()).toContain('still being counted');
    await page.screenshot({ path: join(shots, 'billing-locked-light.png') });
    // Past data stays exportable from the lock screen.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    expect((await download).suggestedFilename()).toMatch(/^sightline-.*\.zip$/);

    const dark = await stack.browser.newContext({
      viewport: { width: 1280, height: 900 },
      colorScheme: 'dark',
      storageState: await owner.storageState(),
    });
    const darkPage = await dark.newPage();
    await darkPage.goto(`${stack.dashboardUrl}/sites/${site.domain}`);
    await expect.poll(() => darkPage.getByTestId('quota-lock').count()).toBe(1);
    await darkPage.screenshot({ path: join(shots, 'billing-locked-dark.png') });
    await darkPage.goto(`${stack.dashboardUrl}/orgs/${orgId}/billing`);
    await expect.poll(() => darkPage.getByTestId('quota-state').textContent()).toBe('Stats locked');
    await darkPage.screenshot({ path: join(shots, 'billing-dark.png'), fullPage: true });
    await dark.close();

    const phone = await stack.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      storageState: await owner.storageState(),
    });
    const phonePage = await phone.newPage();
    await phonePage.goto(`${stack.dashboardUrl}/orgs/${orgId}/billing`);
    await expect.poll(() => phonePage.getByTestId('current-plan').textContent()).toBe('Basic');
    await phonePage.screenshot({ path: join(shots, 'billing-phone.png'), fullPage: true });
    await phone.close();
  });

  it("shows the plan's member limit in the invitations section when the free plan's seats are taken", async () => {
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await stack.watchedPage(context);
    await p.goto(`${stack.dashboardUrl}/signup`);
    await p.getByLabel(/email/i).fill(`seats-${stack.ctx.runId}@example.test`);
    await p.getByLabel(/^password/i).fill('a long enough password');
    await p.getByRole('button', { name: /sign up|create account/i }).click();
    await p.waitForURL(/\/sites/);
    await p.getByRole('link', { name: 'Team' }).click();
    await p.waitForURL(/\/orgs\/[^/]+\/settings/);
    const invitations = p.locator('.card', {
      has: p.getByRole('heading', { name: 'Invitations', exact: true }),
    });
    // The free plan has 3 seats: the owner and two pending invitations take them.
    for (const who of ['first', 'second', 'third']) {
      await invitations.getByLabel('Email', { exact: true }).fill(`${who}-${stack.ctx.runId}@example.test`);
      await invitations.getByRole('button', { name: 'Send invitation' }).click();
      if (who !== 'third')
        await expect
          .poll(() => invitations.getByRole('row', { name: new RegExp(`${who}-`) }).count(), {
            timeout: 20_000,
          })
          .toBe(1);
    }
    await expect
      .poll(() => invitations.getByText(/The Free plan allows 3 members/).textContent(), { timeout: 20_000 })
      .toContain(
        '1 member and 2 pending invitations. Revoke an invitation, remove a member or upgrade to Basic',
      );
    await p.screenshot({ path: join(shots, 'billing-member-limit.png'), fullPage: true });
    await context.close();
  });
});
