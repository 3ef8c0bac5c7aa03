import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { totpCode } from '@sightline/api';
import { DESKTOP_CHROME_UA } from '@sightline/testing';
import { IPHONE_UA, ProductStack, SCREENSHOTS as shots } from './product-stack';

const ADMIN_ROUTES: Array<[string, string]> = [
  ['GET', '/api/admin/search?q=acme'],
  ['GET', '/api/admin/orgs/00000000-0000-4000-8000-000000000000'],
  ['GET', '/api/admin/users/00000000-0000-4000-8000-000000000000'],
  ['POST', '/api/admin/users/00000000-0000-4000-8000-000000000000/block'],
  ['POST', '/api/admin/users/00000000-0000-4000-8000-000000000000/unblock'],
  ['POST', '/api/admin/users/00000000-0000-4000-8000-000000000000/approve-deletion'],
  ['GET', '/api/admin/announcements'],
  ['POST', '/api/admin/announcements'],
  ['GET', '/api/admin/audit-log'],
];

/**
 * Support staff: a staff account turns on two-factor sign-in in the account page (QR code, first
 * code, recovery codes), signs in again with a TOTP code, opens /admin and finds a customer's org
 * by its site domain. A customer gets 404 on every admin route and "page not found" at /admin.
 */
describe('support admin panel with two-factor sign-in', () => {
  const stack = new ProductStack();
  const { ctx } = stack;
  const staff = { email: `staff-${ctx.runId}@example.test`, password: 'the staff password 1' };
  const customer = { email: `demo-${ctx.runId}@example.test`, password: 'the demo password 1' };
  const orgName = `Acme Inc ${ctx.runId}`;
  const siteDomain = `demo-${ctx.runId}.sightline.test`;
  let staffContext: BrowserContext;
  let page: Page;
  let secret = '';

  async function api(method: string, path: string, body?: unknown, cookie?: string) {
    const res = await fetch(`${stack.dashboardUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json', origin: stack.dashboardUrl }),
        ...(cookie ? { cookie } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const cookieOut = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('sl_session='))
      ?.split(';')[0];
    return {
      status: res.status,
      body: (await res.json().catch(() => undefined)) as unknown,
      cookie: cookieOut,
    };
  }

  beforeAll(async () => {
    await stack.start([]);
    // A demo-like customer: an org with a site.
    const signUp = await api('POST', '/api/auth/signup', { ...customer, name: 'Demo' });
    expect(signUp.status).toBe(201);
    const orgId = (signUp.body as { orgs: Array<{ orgId: string }> }).orgs[0]?.orgId ?? '';
    expect((await api('PATCH', `/api/orgs/${orgId}`, { name: orgName }, signUp.cookie)).status).toBe(200);
    expect(
      (await api('POST', `/api/orgs/${orgId}/sites`, { domain: siteDomain }, signUp.cookie)).status,
    ).toBe(201);
    // The staff account; the flag is what `npm run staff -- add EMAIL` sets.
    expect((await api('POST', '/api/auth/signup', { ...staff, name: 'Support' })).status).toBe(201);
    await ctx.pool.query('UPDATE users SET is_staff = true, email_verified_at = now() WHERE email = $1', [
      staff.email,
    ]);
    staffContext = await stack.browser.newContext({
      viewport: { width: 1280, height: 900 },
      userAgent: DESKTOP_CHROME_UA,
    });
    page = await stack.watchedPage(staffContext);
  });
  afterAll(() => stack.stop());

  async function logIn(p: Page, who: { email: string; password: string }): Promise<void> {
    await p.goto(`${stack.dashboardUrl}/login`);
    await p.getByLabel('Email').fill(who.email);
    await p.getByLabel('Password').fill(who.password);
    await p.getByRole('button', { name: 'Log in' }).click();
  }

  it('tells staff without two-factor sign-in to turn it on', async () => {
    await logIn(page, staff);
    await page.waitForURL(/\/sites/);
    await page.goto(`${stack.dashboardUrl}/admin`);
    await expect
      .poll(() => page.getByRole('heading', { name: 'Turn on two-factor sign-in first' }).isVisible())
      .toBe(true);
    await page.screenshot({ path: join(shots, 'admin-needs-2fa.png') });
  });

  it('enrols two-factor sign-in with the QR code and a first code, and shows recovery codes once', async () => {
    await page.goto(`${stack.dashboardUrl}/account`);
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    const qr = page.getByRole('img', { name: 'QR code of the two-factor secret' });
    await qr.waitFor();
    expect(await qr.locator('svg').count()).toBe(1);
    secret = (await page.locator('code.secret').textContent()) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const section = page.locator('section', {
      has: page.getByRole('heading', { name: 'Two-factor sign-in' }),
    });
    await section.screenshot({ path: join(shots, '2fa-enrol.png') });
    for (const [name, options] of [
      ['2fa-enrol-dark.png', { colorScheme: 'dark' as const, viewport: { width: 1280, height: 900 } }],
      [
        '2fa-enrol-phone.png',
        { viewport: { width: 390, height: 844 }, userAgent: IPHONE_UA, isMobile: true },
      ],
    ] as const) {
      const other = await stack.browser.newContext({
        ...options,
        storageState: await staffContext.storageState(),
      });
      const p = await other.newPage();
      await p.goto(`${stack.dashboardUrl}/account`);
      await p.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
      await p.getByRole('img', { name: 'QR code of the two-factor secret' }).waitFor();
      await p.screenshot({ path: join(shots, name), fullPage: true });
      await other.close();
    }
    // The other contexts started their own set-up; this page's secret is no longer the pending one.
    await page.reload();
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await page.getByRole('img', { name: 'QR code of the two-factor secret' }).waitFor();
    secret = (await page.locator('code.secret').textContent()) ?? '';
    await page.getByLabel('Code', { exact: true }).fill('000000');
    await page.getByRole('button', { name: 'Confirm and turn on' }).click();
    await expect.poll(() => page.getByText('That code is not correct').isVisible()).toBe(true);
    await page.getByLabel('Code', { exact: true }).fill(totpCode(secret));
    await page.getByRole('button', { name: 'Confirm and turn on' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' }).locator('li');
    await expect.poll(() => codes.count()).toBe(10);
    await section.screenshot({ path: join(shots, '2fa-recovery-codes.png') });
    await page.getByRole('button', { name: 'I saved them' }).click();
    await expect.poll(() => section.getByText('On', { exact: true }).isVisible()).toBe(true);
  });

  it('signs staff in with the TOTP code, opens /admin and finds the customer org by its site domain', async () => {
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await page.waitForURL(/\/login/);
    await logIn(page, staff);
    const otp = page.getByLabel('Two-factor code');
    await otp.waitFor();
    await page.screenshot({ path: join(shots, 'login-2fa.png') });
    // The code of the next step: the one of the current step was used to confirm the enrolment.
    await otp.fill(totpCode(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/sites/);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.waitForURL(/\/admin/);
    await page.getByRole('searchbox').fill(siteDomain);
    await page.getByRole('button', { name: 'Search' }).click();
    const orgLink = page.getByRole('link', { name: orgName });
    await orgLink.waitFor();
    await expect.poll(() => page.getByRole('link', { name: customer.email }).isVisible()).toBe(true);
    await page.screenshot({ path: join(shots, 'admin-search.png'), fullPage: true });
    await orgLink.click();
    await page.getByRole('heading', { name: orgName }).waitFor();
    await expect.poll(() => page.getByText(siteDomain).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('link', { name: customer.email }).isVisible()).toBe(true);
    await page.screenshot({ path: join(shots, 'admin-org.png'), fullPage: true });
    for (const [name, options] of [
      ['admin-search-dark.png', { colorScheme: 'dark' as const, viewport: { width: 1280, height: 900 } }],
      [
        'admin-search-phone.png',
        { viewport: { width: 390, height: 844 }, userAgent: IPHONE_UA, isMobile: true },
      ],
    ] as const) {
      const other = await stack.browser.newContext({
        ...options,
        storageState: await staffContext.storageState(),
      });
      const p = await other.newPage();
      await p.goto(`${stack.dashboardUrl}/admin?q=acme`);
      await p.getByRole('link', { name: orgName }).waitFor();
      await p.screenshot({ path: join(shots, name), fullPage: true });
      await other.close();
    }
  });

  it('answers 404 to the customer on every admin route, and /admin is "page not found" for them', async () => {
    const login = await api('POST', '/api/auth/login', customer);
    expect(login.status).toBe(200);
    for (const [method, path] of ADMIN_ROUTES) {
      const res = await api(
        method,
        path,
        method === 'POST' ? { reason: 'probe', message: 'x' } : undefined,
        login.cookie,
      );
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await stack.watchedPage(context);
    await logIn(p, customer);
    await p.waitForURL(/\/sites/);
    expect(await p.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await p.goto(`${stack.dashboardUrl}/admin`);
    await expect.poll(() => p.getByText('Page not found').isVisible()).toBe(true);
    await context.close();
  });
});
