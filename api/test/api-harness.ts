import { randomBytes } from 'node:crypto';
import { inheritedEnvironment, loadApiConfig, type ApiConfig } from '@sightline/config';
import type { MeResponse, OrgRole, SiteView } from '@sightline/api-contract';
import type { EventRow } from '@sightline/events';
import { eventRow, MailCatcher, TestContext, type EventRowFields } from '@sightline/testing';
import { BillingRepository } from '../src/billing/billing.repository';
import { createApi } from '../src/create-api';

export const APP_ORIGIN = 'http://app.sightline.test';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A stored pageview by `visitor` (in session `visitor`), `hoursAgo` hours before now: stats for the API to read. */
export function pageview(
  siteId: number,
  visitor: number,
  hoursAgo: number,
  fields: EventRowFields = {},
): EventRow {
  return eventRow(siteId, new Date(Date.now() - hoursAgo * 3_600_000), {
    visitor_id: BigInt(visitor),
    session_id: BigInt(visitor),
    ...fields,
  });
}

/** The real API in-process on an ephemeral port, sending mail to a real SMTP server in the test. */
export class ApiHarness {
  readonly mail = new MailCatcher();
  baseUrl = '';
  config!: ApiConfig;
  private api: Awaited<ReturnType<typeof createApi>> | undefined;
  private readonly runId = randomBytes(3).toString('hex');
  private users = 0;
  private context: TestContext | undefined;

  /** Factories and probes over the test stores (made on first use, closed by stop()). */
  get ctx(): TestContext {
    return (this.context ??= new TestContext());
  }

  async start(env: Record<string, string> = {}): Promise<this> {
    const smtpUrl = await this.mail.start();
    this.config = loadApiConfig({
      ...inheritedEnvironment(),
      LOG_LEVEL: 'silent',
      SMTP_URL: smtpUrl,
      PUBLIC_APP_URL: APP_ORIGIN,
      PUBLIC_INGEST_URL: 'https://ingest.sightline.test',
      API_PORT: '0',
      API_HOST: '127.0.0.1',
      // Every test signs up from 127.0.0.1; the limit has its own test.
      SIGNUPS_PER_HOUR_PER_IP: '100000',
      // Per-route budgets likewise (rate-limit.int.spec.ts sets 1 and tests them).
      RATE_LIMIT_SCALE: '1000',
      LOGIN_ATTEMPTS_PER_IP_PER_15_MIN: '100000',
      ...env,
    });
    this.api = await createApi(this.config);
    const port = await this.api.listen('127.0.0.1', 0);
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this;
  }

  /** A provider of the running app (to observe internals such as open sockets, never to replace them). */
  get<T>(type: abstract new (...args: never[]) => T): T {
    if (!this.api) throw new Error('the API is not started');
    return this.api.app.get(type);
  }

  async stop(): Promise<void> {
    await this.api?.close();
    await this.mail.stop();
    await this.context?.close();
  }

  /** A provider of the running API (for tests that drive a service directly, e.g. a job's body). */
  service<T>(type: abstract new (...args: never[]) => T): T {
    if (!this.api) throw new Error('the API is not started');
    return this.api.app.get(type as never);
  }

  /**
   * Puts an org on a paid plan as a synced active subscription would, for tests that need more
   * members or sites than the free plan allows.
   */
  async setPlan(orgId: string, planCode: 'free' | 'basic' | 'premium'): Promise<void> {
    await this.service(BillingRepository).writeSubscriptionState(orgId, {
      planCode,
      billingInterval: 'monthly',
      stripeSubscriptionId: null,
      subscriptionStatus: 'active',
      currentPeriodStart: null,
      currentPeriodEnd: null,
      cancelAtPeriodEnd: false,
      failedPaymentAttempts: 0,
    });
  }

  /** A new client without a session. */
  client(): ApiClient {
    return new ApiClient(this.baseUrl);
  }

  uniqueEmail(label = 'user'): string {
    return `${label}-${this.runId}-${++this.users}@example.test`;
  }

  /** Signs a new user up (which creates their org) and returns the signed-in client. */
  async signedUpUser(
    label = 'user',
    headers: Record<string, string> = {},
  ): Promise<{ client: ApiClient; me: MeResponse; email: string; password: string; orgId: string }> {
    const client = this.client();
    const email = this.uniqueEmail(label);
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const res = await client.post<MeResponse>('/api/auth/signup', { email, password, name: label }, headers);
    if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { client, me: res.body, email, password, orgId: res.body.orgs[0]?.orgId ?? '' };
  }

  /**
   * Invites a new address into the org as `role` and signs it up with the emailed token; throws
   * unless both the invitation and the sign-up succeed.
   */
  async joinedMember(
    inviter: ApiClient,
    orgId: string,
    role: OrgRole,
    label: string = role,
  ): Promise<{ client: ApiClient; me: MeResponse; userId: string; email: string; password: string }> {
    const email = this.uniqueEmail(label);
    const invited = await inviter.post(`/api/orgs/${orgId}/invitations`, { email, role });
    if (invited.status !== 201)
      throw new Error(`invitation failed: ${invited.status} ${JSON.stringify(invited.body)}`);
    const token = MailCatcher.tokenFrom(await this.mail.waitFor(email, /invited to/));
    const client = this.client();
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const res = await client.post<MeResponse>('/api/auth/signup', {
      email,
      password,
      invitationToken: token,
    });
    if (res.status !== 201)
      throw new Error(`invited sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { client, me: res.body, userId: res.body.user.id, email, password };
  }

  uniqueDomain(label = 'site'): string {
    return `${label}-${randomBytes(4).toString('hex')}.example.com`;
  }

  /** Adds a site to the org through the API (a fresh domain unless given); throws unless it is created. */
  async addSite(client: ApiClient, orgId: string, domain = this.uniqueDomain()): Promise<SiteView> {
    const res = await client.post<SiteView>(`/api/orgs/${orgId}/sites`, { domain });
    if (res.status !== 201)
      throw new Error(`adding ${domain} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** A signed-up user whose org is on `plan` (for features the Free plan lacks: API keys, reports, links, funnels). */
  async signedUpUserOn(
    plan: 'free' | 'basic' | 'premium',
    label = 'user',
  ): ReturnType<ApiHarness['signedUpUser']> {
    const user = await this.signedUpUser(label);
    await this.setPlan(user.orgId, plan);
    return user;
  }
}

/** fetch with a cookie jar of one cookie (the session) and the dashboard's Origin on writes. */
export class ApiClient {
  cookie: string | undefined;

  constructor(private readonly baseUrl: string) {}

  get<T = unknown>(path: string, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path, undefined, headers);
  }
  post<T = unknown>(
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body, headers);
  }
  patch<T = unknown>(
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    return this.request<T>('PATCH', path, body, headers);
  }
  delete<T = unknown>(path: string, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.request<T>('DELETE', path, undefined, headers);
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(method !== 'GET' ? { origin: APP_ORIGIN } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('sl_session='));
    if (setCookie) {
      const value = setCookie.split(';')[0] ?? '';
      this.cookie = value === 'sl_session=' ? undefined : value;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (HTML docs, empty 204)
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
}
