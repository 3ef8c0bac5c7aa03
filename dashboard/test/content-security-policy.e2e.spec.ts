import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProductStack } from './product-stack';

/** Finding 10: the dashboard's CSP allows no inline script without the page's nonce. */
describe('dashboard Content-Security-Policy', () => {
  const stack = new ProductStack();
  beforeAll(() => stack.start([]), 120_000);
  afterAll(() => stack.stop());

  it('has a fresh nonce per page view, no unsafe-inline scripts, and every script carries the nonce', async () => {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${stack.dashboardUrl}/login`);
      expect(res.status).toBe(200);
      const policy = res.headers.get('content-security-policy') ?? '';
      const scriptSrc = policy.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
      expect(scriptSrc).not.toContain('unsafe-inline');
      const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1] ?? '';
      expect(nonce.length).toBeGreaterThanOrEqual(16);
      nonces.push(nonce);
      const html = await res.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('the page still hydrates in Chromium, and the policy is enforced there', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${stack.dashboardUrl}/signup`);
    // Next's client bootstrap ran (it sets window.next), which it cannot without the nonce.
    await page.waitForFunction('Boolean(window.next && window.next.version)');
    expect(violations).toEqual([]);
    // The policy is enforced: the same page with an injected inline script (as a stored XSS would
    // put one into the HTML), served with the dashboard's own headers, does not run it.
    await page.route('**/signup', async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(
        '</body>',
        '<script>window.__injected = true</script></body>',
      );
      await route.fulfill({ response, body: html });
    });
    await page.goto(`${stack.dashboardUrl}/signup`);
    await page.waitForFunction('Boolean(window.next && window.next.version)');
    expect(await page.evaluate('window.__injected === true')).toBe(false);
    expect(violations.length).toBeGreaterThan(0);
    await context.close();
  });
});
