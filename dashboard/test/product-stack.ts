import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { MeResponse } from '@sightline/api-contract';
import { createApi } from '@sightline/api';
import { inheritedEnvironment, loadApiConfig } from '@sightline/config';
import { dashboardCommand, startProcess, stopProcess, type ManagedProcess } from '@sightline/harness';
import {
  MailCatcher,
  TestContext,
  eventually,
  freeLoopbackPort,
  startFlusher,
  startReceiver,
} from '@sightline/testing';

export { IPHONE_UA } from '@sightline/testing';

const root = resolve(import.meta.dirname, '..', '..');
export const SCREENSHOTS = join(root, 'test-results', 'screenshots');
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
export const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

/**
 * The whole product for a browser test: the real API in-process (mail to a real SMTP server in the
 * test), the ingest receiver and flusher, the production dashboard build that `npm test` made for
 * an API on E2E_API_PORT, headless Chromium, and a customer's website whose pages carry `snippet`.
 */
export class ProductStack {
  readonly ctx = new TestContext();
  readonly mail = new MailCatcher();
  /** What every customer page puts in its <head>: the snippet the dashboard showed. */
  snippet = '';
  dashboardUrl = '';
  api!: Awaited<ReturnType<typeof createApi>>;
  receiver!: Awaited<ReturnType<typeof startReceiver>>;
  browser!: Browser;
  customer!: { server: Server; port: number };
  private flusher: ReturnType<typeof startFlusher> | undefined;
  private dashboard: ManagedProcess | undefined;

  /**
   * `hosts`: the customer's host names, resolved by Chromium to the local customer site.
   * `apiEnv`: extra API settings (e.g. INVITE_ONLY).
   */
  async start(hosts: string[], apiEnv: Record<string, string> = {}): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const env = inheritedEnvironment();
    if (!env.E2E_API_PORT)
      throw new Error('run browser tests through `npm test`, which builds the dashboard for them');
    const apiPort = Number(env.E2E_API_PORT);
    const dashboardPort = await freeLoopbackPort();
    this.dashboardUrl = `http://127.0.0.1:${dashboardPort}`;

    const ingest = this.ctx.ingestConfig({ SITE_CACHE_TTL_MS: 100 });
    this.receiver = await startReceiver(ingest);
    this.flusher = startFlusher(ingest);
    this.api = await createApi(
      loadApiConfig({
        ...env,
        LOG_LEVEL: 'warn',
        SMTP_URL: await this.mail.start(),
        PUBLIC_APP_URL: this.dashboardUrl,
        PUBLIC_INGEST_URL: this.receiver.url,
        // The run's tests all sign up from 127.0.0.1 (the limit has its own test).
        SIGNUPS_PER_HOUR_PER_IP: '100000',
        RATE_LIMIT_SCALE: '1000',
        // Behind the dashboard's /api rewrite, like `npm start` and compose.
        TRUSTED_PROXY_HOPS: '1',
        ...apiEnv,
      }),
    );
    await this.api.listen('127.0.0.1', apiPort);
    // `next start` as npm start runs it (with the preload that passes callers' addresses on).
    this.dashboard = startProcess('dashboard', ...dashboardCommand(root, dashboardPort), {
      cwd: join(root, 'dashboard'),
      env: {
        ...env,
        NEXT_DIST_DIR: env.E2E_DASHBOARD_DIST_DIR ?? '.next-test',
        NEXT_TELEMETRY_DISABLED: '1',
      },
      quiet: true,
    });
    await eventually(
      () =>
        fetch(`${this.dashboardUrl}/login`).then(
          (r) => r.ok,
          () => false,
        ),
      { what: 'the dashboard', timeoutMs: 60_000 },
    );
    this.customer = await startCustomerSite(() => this.snippet);
    this.browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        // The customer's host names resolve to the local test server, as DNS would point them at their host.
        ...(hosts.length > 0
          ? [`--host-resolver-rules=${hosts.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`]
          : []),
      ],
    });
  }

  /**
   * Signs a new customer up through the real sign-up form, as a visitor would; the page ends on
   * /sites, signed in. Returns the id of the org the sign-up created.
   */
  async signUp(page: Page, email: string, password = 'a long enough password'): Promise<string> {
    await page.goto(`${this.dashboardUrl}/signup`);
    await page.getByLabel(/email/i).fill(email);
    await page.getByLabel(/^password/i).fill(password);
    await page.getByRole('button', { name: /sign up|create account/i }).click();
    await page.waitForURL(/\/sites/);
    const me = (await page.evaluate(() => fetch('/api/auth/me').then((r) => r.json()))) as MeResponse;
    return me.orgs[0]?.orgId ?? '';
  }

  /** Adds a site from the signed-in page, through the API the dashboard calls; returns its id. */
  async addSite(page: Page, orgId: string, domain: string): Promise<number> {
    const { status, body } = await page.evaluate(
      ({ orgId, domain }) =>
        fetch(`/api/orgs/${orgId}/sites`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ domain }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { id: number } })),
      { orgId, domain },
    );
    if (status !== 201) throw new Error(`adding ${domain} answered ${status}`);
    return body.id;
  }

  /** Puts an org on a plan (an active subscription, as the Stripe webhook would): paid features need one. */
  async setPlan(orgId: string, planCode: 'free' | 'basic' | 'premium'): Promise<void> {
    await this.ctx.pool.query(
      `INSERT INTO billing_profiles (org_id, plan_code, subscription_status) VALUES ($1, $2, 'active')
       ON CONFLICT (org_id) DO UPDATE SET plan_code = $2, subscription_status = 'active'`,
      [orgId, planCode],
    );
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    this.customer?.server.close();
    if (this.dashboard) await stopProcess(this.dashboard);
    await this.api?.close();
    await this.flusher?.close();
    await this.receiver?.close();
    await this.mail.stop();
    await this.ctx.close();
  }

  /** A page whose browser-side failures go to the test output, so a red run says why. */
  async watchedPage(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`[browser] ${m.text()}`);
    });
    page.on('response', (r) => {
      // Expected refusals (wrong passwords, spent links, revoked sessions) show up here too.
      if (r.url().includes('/api/') && r.status() >= 400)
        void r.text().then(
          (body) => console.error(`[browser] ${r.status()} ${r.url()} ${body}`),
          () => undefined,
        );
    });
    return page;
  }
}

/**
 * axe-core's serious and critical findings on the page as it is now, one readable line each
 * (empty when there are none).
 */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_SCRIPT });
  // Runs in the page; this file is type-checked without the DOM library, hence the casts.
  const found = await page.evaluate(async () => {
    const g = globalThis as unknown as {
      axe: {
        run: (
          ctx: unknown,
          o: object,
        ) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }>;
      };
      document: unknown;
    };
    return (await g.axe.run(g.document, { resultTypes: ['violations'] })).violations;
  });
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A customer's website on any host name: every page carries the snippet; /signup also sends a Signup event. */
function startCustomerSite(snippet: () => string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    // The custom event is queued through the documented stub before the script loads.
    const signup =
      path === '/signup'
        ? `<script>window.sightline=window.sightline||function(){(window.sightline.q=window.sightline.q||[]).push(arguments)};sightline('Signup')</script>`
        : '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html><head><title>Shop ${path}</title>${signup}${snippet()}</head><body><h1>Shop page ${path}</h1></body></html>`,
    );
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => done({ server, port: (server.address() as AddressInfo).port })),
  );
}
