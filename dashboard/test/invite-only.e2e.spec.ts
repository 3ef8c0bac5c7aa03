import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ProductStack, SCREENSHOTS } from './product-stack';

/** INVITE_ONLY=true: the pages say so before anyone fills in a form the API would refuse. */
describe('an invite-only server', () => {
  const stack = new ProductStack();
  let page: Page;

  beforeAll(async () => {
    await stack.start([], { INVITE_ONLY: 'true' });
    page = await stack.watchedPage(await stack.browser.newContext());
  });
  afterAll(() => stack.stop());

  it('shows no sign-up form without an invitation, and points to log-in instead', async () => {
    await page.goto(`${stack.dashboardUrl}/signup`);
    await expect.poll(() => page.getByTestId('invite-only').isVisible()).toBe(true);
    expect(await page.getByLabel('Password').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'signup-invite-only.png') });

    await page.goto(`${stack.dashboardUrl}/login`);
    await expect.poll(() => page.getByText('Ask your team for an invitation').isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Sign up' }).count()).toBe(0);
  });
});
