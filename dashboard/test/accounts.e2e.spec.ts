import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { DESKTOP_CHROME_UA, type CaughtMail } from '@sightline/testing';
import { FIREFOX_UA, ProductStack, SCREENSHOTS as shots } from './product-stack';

/** The dashboard link in a mail, as the recipient would click it. */
function linkIn(mail: CaughtMail): string {
  const link = /https?:\/\/\S+/.exec(mail.text)?.[0];
  if (!link) throw new Error(`no link in mail "${mail.subject}"`);
  return link;
}

/**
 * What happens around the numbers: verifying the address, resetting a forgotten password, a team
 * with an invited viewer, a site's settings and its deletion, and the account's password and sessions.
 * Real API, ingest receiver, SMTP (mails are read and their links followed), the production
 * dashboard build, and Chromium.
 */
describe('accounts: verify email, reset password, team, site settings, sessions', () => {
  const stack = new ProductStack();
  const { ctx, mail } = stack;
  const domain = `shop-${ctx.runId}.e2e.example`;
  const stagingHost = `staging-${ctx.runId}.e2e.example`;
  const ownerEmail = `owner-${ctx.runId}@example.test`;
  const mateEmail = `mate-${ctx.runId}@example.test`;
  const passwords = { owner: 'the owner password 1', mate: 'the teammate password' };
  let dashboardUrl = '';
  let customer: ProductStack['customer'];
  let orgId = '';
  let browser: Browser;
  let owner: BrowserContext;
  let page: Page;
  let mate: BrowserContext;
  let matePage: Page;

  beforeAll(async () => {
    await stack.start([domain, stagingHost]);
    ({ dashboardUrl, customer, browser } = stack);
    owner = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      userAgent: DESKTOP_CHROME_UA,
    });
    page = await stack.watchedPage(owner);
    mate = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    matePage = await stack.watchedPage(mate);
  });
  afterAll(() => stack.stop());

  /**
   * Opens a signed-in page after the session ended. The server redirects to /login, or the page loads
   * and its 401 sends it there; a request still in flight from the previous page may also redirect
   * first and interrupt this navigation. Any of these ends on /login, which the caller waits for.
   */
  async function gotoExpectingLogin(p: Page, url: string): Promise<void> {
    await p.goto(url, { waitUntil: 'commit' }).catch((err: unknown) => {
      if (!/interrupted by another navigation/.test(String(err))) throw err;
    });
  }

  /** Loads a customer page on `host` and returns the status the receiver gave its pageview. */
  async function visitStatus(host: string): Promise<number> {
    const visitor = await browser.newContext({ userAgent: DESKTOP_CHROME_UA });
    try {
      const visitorPage = await visitor.newPage();
      const sent = visitorPage.waitForResponse((r) => r.url().endsWith('/api/event'));
      await visitorPage.goto(`http://${host}:${customer.port}/`);
      return (await sent).status();
    } finally {
      await visitor.close();
    }
  }

  const section = (p: Page, heading: string): Locator =>
    p.locator('.card', { has: p.getByRole('heading', { name: heading, exact: true }) });
  // Scoped to the page's <main>: Next's route announcer is an alert too.
  const alertIn = (p: Page) => p.getByRole('main').getByRole('alert');
  const verifyBanner = (p: Page) => p.getByRole('status').filter({ hasText: 'Please verify' });

  async function logIn(p: Page, email: string, password: string) {
    await p.getByLabel('Email').fill(email);
    await p.getByLabel('Password').fill(password);
    await p.getByRole('button', { name: 'Log in' }).click();
  }

  it('asks a new owner to verify the address until the emailed link is opened', async () => {
    await page.goto(`${dashboardUrl}/signup`);
    await page.getByLabel('Email').fill(ownerEmail);
    await page.getByLabel('Password').fill(passwords.owner);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(/\/sites/);
    await expect.poll(() => verifyBanner(page).textContent()).toContain(ownerEmail);
    await page.screenshot({ path: join(shots, 'verify-banner.png') });

    const confirm = await mail.waitFor(ownerEmail, /Confirm your email/);
    await page.goto(linkIn(confirm));
    await expect.poll(() => page.getByText('Your email address is verified.').isVisible()).toBe(true);
    await page.getByRole('link', { name: 'Continue to Sightline' }).click();
    await page.waitForURL(/\/sites/);
    await page.getByRole('heading', { name: 'Sites', exact: true }).waitFor();
    await expect.poll(() => verifyBanner(page).count()).toBe(0);
    // Not only on this client-side view: a fresh load agrees.
    await page.reload();
    await page.getByRole('heading', { name: 'Sites', exact: true }).waitFor();
    expect(await verifyBanner(page).count()).toBe(0);

    await page.goto(`${dashboardUrl}/sites/new`);
    await page.getByLabel('Domain').fill(domain);
    await page.getByRole('button', { name: 'Add website' }).click();
    await expect
      .poll(async () => (await page.getByTestId('snippet').textContent()) ?? '')
      .toContain(`data-domain="${domain}"`);
    stack.snippet = (await page.getByTestId('snippet').textContent()) ?? '';
  });

  it('invites a viewer who signs up from the mail, sees the site and nothing destructive', async () => {
    await page.goto(`${dashboardUrl}/sites`);
    await page.getByRole('link', { name: 'Team' }).click();
    await page.waitForURL(/\/orgs\/[^/]+\/settings/);
    orgId = decodeURIComponent(/\/orgs\/([^/]+)\/settings/.exec(page.url())?.[1] ?? '');
    const invitations = section(page, 'Invitations');
    await invitations.getByLabel('Email', { exact: true }).fill(mateEmail);
    await invitations.getByLabel('Role', { exact: true }).selectOption('viewer');
    await invitations.getByRole('button', { name: 'Send invitation' }).click();
    await expect.poll(() => invitations.getByRole('status').textContent()).toContain(mateEmail);
    await expect.poll(() => invitations.getByRole('row', { name: new RegExp(mateEmail) }).count()).toBe(1);

    const invitation = await mail.waitFor(mateEmail, /You are invited to/);
    await matePage.goto(linkIn(invitation));
    await matePage.getByRole('heading', { name: /^Join / }).waitFor();
    expect(await matePage.getByText(mateEmail).first().textContent()).toBe(mateEmail);
    await matePage.screenshot({ path: join(shots, 'invitation.png') });
    await matePage.getByRole('link', { name: 'Create an account to accept' }).click();
    await matePage.waitForURL(/\/signup\?invitation=/);
    await expect.poll(() => matePage.getByText(/You were invited to join/).textContent()).toMatch(/viewer/);
    // The invited address is filled in.
    await expect.poll(() => matePage.getByLabel('Email').inputValue()).toBe(mateEmail);
    await matePage.getByLabel('Password').fill(passwords.mate);
    await matePage.getByRole('button', { name: 'Sign up' }).click();
    await matePage.waitForURL(/\/sites\?org=/);
    expect(new URL(matePage.url()).searchParams.get('org')).toBe(orgId);

    // The org's site, its dashboard; the invitation proved the address, so no banner.
    await matePage.getByTestId(`site-card-${domain}`).click();
    await matePage.waitForURL(new RegExp(`/sites/${domain.replaceAll('.', '\\.')}$`));
    await matePage.getByRole('heading', { name: domain }).waitFor();
    expect(await verifyBanner(matePage).count()).toBe(0);
    await matePage.screenshot({ path: join(shots, 'viewer-dashboard.png') });

    // A viewer cannot add, change or delete sites, nor invite or manage members.
    await matePage.getByRole('link', { name: 'Settings', exact: true }).click();
    await matePage.getByText('You have view access to this site.').waitFor();
    expect(await matePage.getByRole('button', { name: /delete/i }).count()).toBe(0);
    expect(await matePage.getByRole('button', { name: 'Save changes' }).isDisabled()).toBe(true);
    expect(await matePage.getByLabel('Timezone').isDisabled()).toBe(true);
    expect(await matePage.getByLabel('Add hostname').count()).toBe(0);
    await matePage.screenshot({ path: join(shots, 'viewer-site-settings.png'), fullPage: true });
    await matePage.getByRole('link', { name: 'Sites', exact: true }).click();
    await matePage.getByTestId(`site-card-${domain}`).waitFor();
    expect(await matePage.getByRole('link', { name: /add .*website/i }).count()).toBe(0);
    await matePage.getByRole('link', { name: 'Team' }).click();
    await matePage.getByRole('heading', { name: 'Members' }).waitFor();
    await expect.poll(() => matePage.getByRole('row').count()).toBe(3); // header, owner, teammate
    expect(await matePage.getByRole('heading', { name: 'Invitations' }).count()).toBe(0);
    expect(await matePage.getByRole('button', { name: 'Send invitation' }).count()).toBe(0);
    expect(await matePage.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    expect(await matePage.getByRole('combobox', { name: /^Role of/ }).count()).toBe(0);
  });

  it('lets the owner change the new member’s role and remove them after confirming', async () => {
    await page.reload();
    const row = page.getByRole('row', { name: new RegExp(mateEmail) });
    const role = page.getByLabel(`Role of ${mateEmail}`);
    await expect.poll(() => role.inputValue()).toBe('viewer');
    // The invitation was used up: it is no longer pending.
    await expect.poll(() => section(page, 'Invitations').getByText('No pending invitations').count()).toBe(1);

    await role.selectOption('admin');
    await expect.poll(() => role.isEnabled()).toBe(true);
    await page.reload();
    await expect.poll(() => role.inputValue()).toBe('admin');
    await page.screenshot({ path: join(shots, 'team-members.png'), fullPage: true });

    await row.getByRole('button', { name: 'Remove' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByRole('heading').textContent()).toBe(`Remove ${mateEmail}?`);
    await page.screenshot({ path: join(shots, 'remove-member-dialog.png') });
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => row.count()).toBe(0);
    await expect.poll(() => dialog.count()).toBe(0);

    // The former member no longer reaches the org's site.
    await matePage.goto(`${dashboardUrl}/sites/${domain}`);
    await expect.poll(() => matePage.getByText('Site not found').count()).toBe(1);
  });

  it('resets a forgotten password from the login page; the old password and a spent link are refused', async () => {
    await matePage.getByRole('button', { name: 'Log out' }).click();
    await matePage.waitForURL(/\/login/);
    await matePage.getByRole('link', { name: 'Forgot your password?' }).click();
    await matePage.waitForURL(/\/reset-password$/);
    await matePage.getByLabel('Email').fill(mateEmail);
    await matePage.getByRole('button', { name: 'Send reset link' }).click();
    await expect
      .poll(() => matePage.getByRole('status').first().textContent())
      .toContain('we sent it a link');

    const reset = await mail.waitFor(mateEmail, /Reset your Sightline password/);
    const link = linkIn(reset);
    expect(new URL(link).pathname).toBe('/reset-password/confirm');
    await matePage.goto(link);
    const newPassword = 'a brand new password';
    await matePage.getByLabel('New password', { exact: true }).fill(newPassword);
    await matePage.getByLabel('Repeat new password').fill('not the same password');
    await matePage.getByRole('button', { name: 'Set new password' }).click();
    await expect.poll(() => alertIn(matePage).textContent()).toBe('The passwords do not match');
    await matePage.getByLabel('Repeat new password').fill(newPassword);
    await matePage.screenshot({ path: join(shots, 'reset-password.png') });
    await matePage.getByRole('button', { name: 'Set new password' }).click();
    await matePage.getByRole('heading', { name: 'Password changed' }).waitFor();
    await matePage.getByRole('link', { name: 'Log in' }).click();
    await matePage.waitForURL(/\/login/);

    await logIn(matePage, mateEmail, passwords.mate);
    await expect.poll(() => alertIn(matePage).textContent()).toBe('Email or password is incorrect');
    expect(new URL(matePage.url()).pathname).toBe('/login');
    await matePage.getByLabel('Password').fill(newPassword);
    await matePage.getByRole('button', { name: 'Log in' }).click();
    await matePage.waitForURL(/\/sites/);
    passwords.mate = newPassword;

    // The link works once.
    await matePage.goto(link);
    await matePage.getByLabel('New password', { exact: true }).fill('yet another password');
    await matePage.getByLabel('Repeat new password').fill('yet another password');
    await matePage.getByRole('button', { name: 'Set new password' }).click();
    await expect
      .poll(() => alertIn(matePage).textContent())
      .toMatch(/link .*(invalid|expired|already used)/i);
    await matePage.screenshot({ path: join(shots, 'reset-password-spent.png') });
    await matePage.getByRole('link', { name: /new (reset )?link/i }).click();
    await matePage.waitForURL(/\/reset-password$/);
  });

  it('saves the timezone and allowed hostnames, names a bad hostname, and the receiver follows the list', async () => {
    await page.goto(`${dashboardUrl}/sites/${domain}/settings`);
    const general = section(page, 'General');
    await general.getByLabel('Timezone').selectOption('Asia/Tokyo');
    await general.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => general.getByRole('status').textContent()).toBe('Saved.');

    const hosts = section(page, 'Allowed hostnames');
    const draft = hosts.getByLabel('Add hostname');
    await draft.fill('not a host!');
    await hosts.getByRole('button', { name: 'Add', exact: true }).click();
    await expect
      .poll(() => hosts.getByRole('alert').textContent())
      .toMatch(/^Must be a host name such as example\.com/);
    expect(await draft.getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: join(shots, 'site-settings-hostname-error.png'), fullPage: true });
    await draft.fill(stagingHost);
    await hosts.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => hosts.getByRole('alert').count()).toBe(0);
    await hosts.getByRole('button', { name: 'Save hostnames' }).click();
    await expect.poll(() => hosts.getByRole('status').textContent()).toBe('Saved.');

    // Saved: a fresh load shows both settings.
    await page.reload();
    await expect.poll(() => section(page, 'General').getByLabel('Timezone').inputValue()).toBe('Asia/Tokyo');
    await expect
      .poll(() => hosts.getByRole('listitem').allTextContents())
      .toEqual([expect.stringContaining(stagingHost)]);
    // The list replaces the default, so the page says the site's own domain is now refused.
    await expect.poll(() => hosts.getByText(`${domain} is not in the list`).count()).toBe(1);
    await page.screenshot({ path: join(shots, 'site-settings-saved.png'), fullPage: true });

    // The receiver takes the list as saved: the staging host is counted, the main domain refused.
    await expect.poll(() => visitStatus(stagingHost)).toBe(202);
    await expect.poll(() => visitStatus(domain)).toBe(403);
  });

  it('deletes the site only after its domain is typed, and it leaves the sites list', async () => {
    const remove = page.getByRole('button', { name: 'Delete this site forever' });
    await page.getByRole('button', { name: 'Delete site…' }).click();
    const typed = page.getByLabel(`Type ${domain} to confirm`);
    await typed.fill(`x${domain}`);
    expect(await remove.isDisabled()).toBe(true);
    await typed.fill(domain);
    await expect.poll(() => remove.isEnabled()).toBe(true);
    await section(page, 'Delete site').screenshot({ path: join(shots, 'site-delete.png') });
    await remove.click();
    await page.waitForURL(/\/sites\?org=/);
    await page.getByText('No websites yet').waitFor();
    expect(await page.getByTestId(`site-card-${domain}`).count()).toBe(0);
    await page.goto(`${dashboardUrl}/sites/${domain}`);
    await expect.poll(() => page.getByText('Site not found').count()).toBe(1);
  });

  it('changes the password, lists and revokes sessions, and logs out everywhere', async () => {
    await page.goto(`${dashboardUrl}/account`);
    const password = section(page, 'Password');
    await password.getByLabel('Current password').fill('not my password');
    await password.getByLabel('New password').fill('the owner password 2');
    await password.getByRole('button', { name: 'Change password' }).click();
    const wrong = password.getByLabel('Current password');
    await expect.poll(() => wrong.getAttribute('aria-invalid')).toBe('true');
    expect(await password.getByRole('alert').textContent()).toBe('The password is not correct');
    await wrong.fill(passwords.owner);
    await password.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => password.getByRole('status').textContent()).toContain('Password changed');
    passwords.owner = 'the owner password 2';

    // A second browser signs in with the new password.
    const other = await browser.newContext({ userAgent: FIREFOX_UA });
    try {
      const otherPage = await stack.watchedPage(other);
      await otherPage.goto(`${dashboardUrl}/login`);
      await logIn(otherPage, ownerEmail, passwords.owner);
      await otherPage.waitForURL(/\/sites/);

      await page.reload();
      const sessions = section(page, 'Active sessions');
      const rows = sessions.locator('tbody tr');
      await expect.poll(() => rows.count()).toBe(2);
      const here = rows.filter({ hasText: 'this device' });
      expect(await here.textContent()).toContain('Chrome on Windows');
      const firefox = rows.filter({ hasText: /^Firefox on / });
      expect(await firefox.count()).toBe(1);
      await page.screenshot({ path: join(shots, 'sessions.png'), fullPage: true });

      await firefox.getByRole('button', { name: 'Revoke' }).click();
      await expect.poll(() => rows.count()).toBe(1);
      await gotoExpectingLogin(otherPage, `${dashboardUrl}/account`);
      await otherPage.waitForURL(/\/login/);
      await otherPage.getByRole('heading', { name: 'Log in' }).waitFor();
    } finally {
      await other.close();
    }

    await section(page, 'Active sessions').getByRole('button', { name: 'Log out everywhere' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByRole('heading').textContent()).toBe('Log out everywhere?');
    await dialog.getByRole('button', { name: 'Log out everywhere' }).click();
    await page.waitForURL(/\/login/);
    await gotoExpectingLogin(page, `${dashboardUrl}/account`);
    await page.waitForURL(/\/login\?next=%2Faccount/);
    // The old password no longer works; the new one does.
    await logIn(page, ownerEmail, 'the owner password 1');
    await expect.poll(() => alertIn(page).textContent()).toBe('Email or password is incorrect');
    await page.getByLabel('Password').fill(passwords.owner);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/account/);
  });
});
