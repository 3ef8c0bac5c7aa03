import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { inheritedEnvironment } from '@sightline/config';
import { EMULATOR_PRICE_ENV, StripeEmulator, emulatorPrices } from '@sightline/stripe-emulator';
import { ApiHarness, APP_ORIGIN, type ApiClient } from './api-harness';

const ROOT = join(__dirname, '..', '..');

/**
 * The real API in-process, talking to the local Stripe emulator through the Stripe SDK's
 * host/port/protocol, and the real workers process consuming a queue of this file's own, so
 * webhooks take their production path: verified and stored by the api, handled by the workers'
 * stripe-event job.
 */
export class BillingHarness extends ApiHarness {
  readonly stripe = new StripeEmulator({ prices: emulatorPrices() });
  private workers: ChildProcess | undefined;
  private readonly workersOutput: string[] = [];

  override async start(env: Record<string, string> = {}): Promise<this> {
    const stripeUrl = await this.stripe.start();
    const billingEnv = {
      STRIPE_SECRET_KEY: this.stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: this.stripe.webhookSecret,
      STRIPE_API_URL: stripeUrl,
      ...EMULATOR_PRICE_ENV,
      WORKERS_QUEUE: `test-billing-${randomBytes(4).toString('hex')}`,
    };
    await super.start({ ...billingEnv, ...env });
    this.stripe.webhookUrl = `${this.baseUrl}/api/stripe/webhook`;
    await this.startWorkers({
      ...billingEnv,
      SMTP_URL: this.config.SMTP_URL ?? '',
      PUBLIC_APP_URL: APP_ORIGIN,
    });
    return this;
  }

  /** `workers/src/main.ts` as a child process; only queued jobs run (no schedulers in this queue). */
  private async startWorkers(env: Record<string, string>): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'workers', 'src', 'main.ts')], {
      cwd: ROOT,
      env: {
        ...inheritedEnvironment(),
        LOG_LEVEL: 'info',
        WORKERS_HOST: '127.0.0.1',
        WORKERS_METRICS_PORT: '0',
        WORKERS_SCHEDULERS: 'false',
        WORKERS_RETRY_BACKOFF_MS: '200',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.workers = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`workers did not start: ${this.workersOutput.join('')}`)),
        120_000,
      );
      child.stdout?.on('data', (d: Buffer) => {
        const text = d.toString();
        this.workersOutput.push(text);
        if (/"msg":"workers running"/.test(text)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr?.on('data', (d: Buffer) => this.workersOutput.push(d.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`workers exited (${code}): ${this.workersOutput.join('')}`));
      });
    });
  }

  override async stop(): Promise<void> {
    const workers = this.workers;
    if (workers && workers.exitCode === null) {
      const exited = new Promise((resolve) => workers.once('exit', resolve));
      workers.kill('SIGTERM');
      await exited;
    }
    await super.stop();
    await this.stripe.stop();
  }

  /** Starts checkout as the owner and submits the emulator's checkout form (its one button). */
  async subscribe(
    client: ApiClient,
    orgId: string,
    plan: 'basic' | 'premium',
    interval: 'monthly' | 'yearly' = 'monthly',
  ): Promise<{ sessionId: string; subscriptionId: string; successUrl: string }> {
    const started = await client.post<{ url: string }>(`/api/orgs/${orgId}/billing/checkout`, {
      plan,
      interval,
    });
    if (started.status !== 200)
      throw new Error(`checkout failed: ${started.status} ${JSON.stringify(started.body)}`);
    const page = await fetch(started.body.url);
    if (!(await page.text()).includes('type="submit"'))
      throw new Error('no submit button on the checkout page');
    const submitted = await fetch(started.body.url, { method: 'POST', redirect: 'manual' });
    const successUrl = submitted.headers.get('location') ?? '';
    const sessionId = new URL(successUrl).searchParams.get('checkout') ?? '';
    const sub = this.stripe.events.findLast((e) => e.type === 'customer.subscription.created');
    return { sessionId, subscriptionId: String(sub?.data.object['id']), successUrl };
  }
}
