import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { inheritedEnvironment } from '@sightline/config';
import { ProductStack, SCREENSHOTS } from './product-stack';

const root = resolve(import.meta.dirname, '..', '..');

/** The workers service as a real process (it runs the import-site-data job every 5 s). */
function startWorkers(): { child: ChildProcess; output: string[] } {
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'workers', 'src', 'main.ts')], {
    cwd: root,
    env: {
      ...inheritedEnvironment(),
      LOG_LEVEL: 'info',
      WORKERS_QUEUE: `e2e-imports-${randomBytes(4).toString('hex')}`,
      WORKERS_HOST: '127.0.0.1',
      WORKERS_METRICS_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  return { child, output };
}

const UMAMI_HEADER =
  'website_id,session_id,visit_id,event_id,hostname,browser,os,device,country,url_path,referrer_domain,event_type,event_name,created_at';

/**
 * An Umami export big enough that the worker reports progress on the way: `visits` visits of
 * 2 pageviews over the 40 days that end a week ago, spread over a few sources and countries.
 */
function umamiExport(visits: number): { zip: Buffer; visitors: number } {
  const lines = [UMAMI_HEADER];
  const end = Date.now() - 7 * 86_400_000;
  const sources = ['www.google.com', '', 'news.ycombinator.com', 'twitter.com'];
  const countries = ['DE', 'US', 'FR', 'BR'];
  for (let v = 0; v < visits; v++) {
    const at = end - (v % 40) * 86_400_000 - (v % 1000) * 60_000;
    const session = `s${v}`;
    for (let i = 0; i < 2; i++) {
      const t = new Date(at + i * 45_000).toISOString().slice(0, 19).replace('T', ' ');
      lines.push(
        [
          'w',
          session,
          `v${v}`,
          `e${v}-${i}`,
          'example.com',
          v % 3 ? 'chrome' : 'firefox',
          v % 2 ? 'Mac OS' : 'Windows 10',
          v % 5 ? 'desktop' : 'mobile',
          countries[v % 4],
          // A few landing paths that a spreadsheet would run as a formula: data, defused on export.
          i ? '/pricing' : v % 10_000 === 0 ? '=1+1' : '/',
          i ? '' : sources[v % 4],
          '1',
          '',
          t,
        ].join(','),
      );
    }
  }
  return { zip: Buffer.from(zipSync({ 'website_event.csv': strToU8(lines.join('\n')) })), visitors: visits };
}

describe('imports: upload in site settings, live progress, the imported data on the dashboard, delete', () => {
  const stack = new ProductStack();
  const { ctx } = stack;
  const domain = `imports-${ctx.runId}.e2e.example`;
  let workers: ReturnType<typeof startWorkers>;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await stack.start([]);
    workers = startWorkers();
    context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await stack.watchedPage(context);
    const orgId = await stack.signUp(page, `imports-${ctx.runId}@example.test`);
    await stack.addSite(page, orgId, domain);
  });
  afterAll(async () => {
    if (workers?.child.exitCode === null) {
      const exited = new Promise((done) => workers.child.once('exit', done));
      workers.child.kill('SIGTERM');
      await exited;
    }
    await stack.stop();
  });

  const shot = (name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `imports-${name}.png`), fullPage: true });

  it('uploads an Umami export, shows the progress while the worker runs, then the imported period', async () => {
    const { zip, visitors } = umamiExport(60_000);
    await page.goto(`${stack.dashboardUrl}/sites/${domain}/settings`);
    const section = page.getByTestId('imports-settings');
    await section.getByLabel('Exported from').selectOption('umami');
    await section.getByLabel('Export file').setInputFiles({
      name: 'umami-export.zip',
      mimeType: 'application/zip',
      buffer: zip,
    });
    await section.getByRole('button', { name: 'Upload and import' }).click();

    const item = section.getByTestId('import-item').first();
    // Waiting, then importing with a moving bar (the list polls while the job runs).
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 60_000 }).toMatch(/queued|running/);
    await shot('queued');
    await expect
      .poll(
        async () =>
          (await item.getAttribute('data-status')) === 'running'
            ? await item.getByRole('progressbar').getAttribute('aria-valuenow')
            : null,
        {
          timeout: 120_000,
          interval: 200,
        },
      )
      .not.toBeNull();
    await shot('running');
    await expect
      .poll(() => item.getAttribute('data-status'), { timeout: 300_000, interval: 500 })
      .toBe('completed');
    await expect.poll(() => item.textContent()).toMatch(/Imported.*daily rows/);
    await shot('completed-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('completed-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // The dashboard adds the imported days (the site has no data of its own) and says so.
    await page.goto(`${stack.dashboardUrl}/sites/${domain}?period=6mo`);
    await expect.poll(() => page.getByTestId('imported-data-note').count(), { timeout: 30_000 }).toBe(1);
    await expect
      .poll(() => page.getByTestId('top-card-visitors').getByTestId('top-card-value').textContent(), {
        timeout: 30_000,
      })
      .toMatch(visitors >= 1000 ? /k$/ : /\d/);
    await shot('dashboard-light');
    // The CSV export holds the imported rows, the formula-looking path prefixed with ' for spreadsheets.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const files = unzipSync(new Uint8Array(await readFile(await download.path())));
    const pagesCsv = strFromU8(files['pages.csv'] ?? new Uint8Array()).split('\r\n');
    expect(pagesCsv).toEqual(expect.arrayContaining(["'=1+1,6,6,,"]));
    expect(pagesCsv.some((line) => line.startsWith('='))).toBe(false);
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('dashboard-phone');
    await page.goto(`${stack.dashboardUrl}/sites/${domain}/settings`);
    await expect.poll(() => section.getByTestId('import-item').count()).toBe(1);
    await shot('settings-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows why a broken export failed, and deletes imports after a confirmation', async () => {
    await page.goto(`${stack.dashboardUrl}/sites/${domain}/settings`);
    const section = page.getByTestId('imports-settings');
    await section.getByLabel('Exported from').selectOption('umami');
    await section.getByLabel('Export file').setInputFiles({
      name: 'broken.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        `${UMAMI_HEADER}\nw,s1,v1,e1,example.com,chrome,Mac OS,desktop,DE,/,,1,,2024-13-45 00:00:00\n`,
      ),
    });
    await section.getByRole('button', { name: 'Upload and import' }).click();
    const failed = section.locator('[data-testid="import-item"][data-status="failed"]');
    await expect.poll(() => failed.count(), { timeout: 120_000 }).toBe(1);
    expect(await failed.getByRole('alert').textContent()).toMatch(
      /line 2: created_at "2024-13-45 00:00:00" is not a date-time/,
    );
    await shot('failed');

    // Delete the completed import: a confirmation first, then it is gone and the dashboard is native-only.
    const completed = section.locator('[data-testid="import-item"][data-status="completed"]');
    await completed.getByRole('button', { name: 'Delete import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this import?' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await shot('delete-confirm');
    await dialog.getByRole('button', { name: 'Delete import' }).click();
    await expect.poll(() => completed.count(), { timeout: 30_000 }).toBe(0);
    await page.goto(`${stack.dashboardUrl}/sites/${domain}?period=6mo`);
    await expect
      .poll(() => page.getByTestId('top-card-visitors').getByTestId('top-card-value').textContent(), {
        timeout: 30_000,
      })
      .toBe('0');
    expect(await page.getByTestId('imported-data-note').count()).toBe(0);
  });
});
