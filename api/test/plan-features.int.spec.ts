import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiKeyView,
  CreatedApiKey,
  EmailReportSettings,
  FunnelView,
  SharedLinkView,
  SiteView,
} from '@sightline/api-contract';
import { BillingRepository } from '../src/billing/billing.repository';
import { ApiHarness, type ApiClient } from './api-harness';

const STEPS = [
  { kind: 'page', pattern: '/' },
  { kind: 'event', name: 'Signup' },
];
const notInPlan = (feature: string, plan: string, cheapest: string) => {
  const plural = feature !== 'Stats API';
  return {
    status: 402,
    body: {
      error: {
        code: 'feature_not_in_plan',
        message: `${feature} ${plural ? 'are' : 'is'} not included in the ${plan} plan. Upgrade to ${cheapest} or higher to use ${plural ? 'them' : 'it'}.`,
      },
    },
  };
};
const tokenOf = (link: SharedLinkView) => new URL(link.url).pathname.split('/').pop() ?? '';
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/**
 * Plan features (README "Plans and features"): creating or changing what a plan does not sell
 * answers 402 `feature_not_in_plan`; after a downgrade, what exists is kept (listable, deletable)
 * but locked: API keys, shared links and funnel queries answer the same 402 until an upgrade.
 */
describe('plan features', () => {
  const api = new ApiHarness();
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  async function orgOn(plan: 'free' | 'basic' | 'premium') {
    const user = await api.signedUpUserOn(plan, `plan-${plan}`);
    const domain = `plan-${plan}-${randomBytes(3).toString('hex')}.example`;
    const site = (await user.client.post<SiteView>(`/api/orgs/${user.orgId}/sites`, { domain })).body;
    return { ...user, site };
  }

  const createAll = (client: ApiClient, orgId: string, domain: string) =>
    Promise.all([
      client.post<CreatedApiKey>(`/api/orgs/${orgId}/api-keys`, { name: 'CI' }),
      client.request<EmailReportSettings>('PUT', `/api/sites/${domain}/email-reports`, {
        weekly: true,
        monthly: false,
      }),
      client.post<SharedLinkView>(`/api/sites/${domain}/shared-links`, {}),
      client.post<FunnelView>(`/api/sites/${domain}/funnels`, { name: 'Signup', steps: STEPS }),
    ]);

  it('refuses every paid feature to a Free org with 402 feature_not_in_plan naming the cheapest plan', async () => {
    const { client, orgId, site } = await orgOn('free');
    const [key, report, link, funnel] = await createAll(client, orgId, site.domain);
    expect(key).toMatchObject(notInPlan('Stats API', 'Free', 'Basic'));
    expect(report).toMatchObject(notInPlan('Email reports', 'Free', 'Basic'));
    expect(link).toMatchObject(notInPlan('Shared links', 'Free', 'Premium'));
    expect(funnel).toMatchObject(notInPlan('Funnels', 'Free', 'Premium'));
    // Nothing was stored; the lists stay readable.
    expect((await client.get(`/api/orgs/${orgId}/api-keys`)).body).toEqual([]);
    expect((await client.get(`/api/sites/${site.domain}/shared-links`)).body).toEqual([]);
    expect((await client.get(`/api/sites/${site.domain}/funnels`)).body).toEqual([]);
    expect((await client.get(`/api/sites/${site.domain}/email-reports`)).body).toEqual({
      weekly: false,
      monthly: false,
    });
    // Opting out is never refused, and the dashboard (a member's session) is not the Stats API.
    const off = await client.request('PUT', `/api/sites/${site.domain}/email-reports`, {
      weekly: false,
      monthly: false,
    });
    expect(off.status).toBe(200);
    const stats = await client.post('/api/v2/query', {
      site_id: site.domain,
      metrics: ['visitors'],
      date_range: '7d',
    });
    expect(stats.status).toBe(200);
  });

  it('gives Basic the Stats API and email reports, and Premium everything', async () => {
    const basic = await orgOn('basic');
    const [key, report, link, funnel] = await createAll(basic.client, basic.orgId, basic.site.domain);
    expect([key.status, report.status]).toEqual([201, 200]);
    expect(link).toMatchObject(notInPlan('Shared links', 'Basic', 'Premium'));
    expect(funnel).toMatchObject(notInPlan('Funnels', 'Basic', 'Premium'));
    const query = { site_id: basic.site.domain, metrics: ['visitors'], date_range: '7d' };
    expect((await api.client().post('/api/v2/query', query, bearer(key.body.key))).status).toBe(200);

    const premium = await orgOn('premium');
    const all = await createAll(premium.client, premium.orgId, premium.site.domain);
    expect(all.map((r) => r.status)).toEqual([201, 200, 201, 201]);
  });

  it('keeps what exists after a downgrade but locks it, and unlocks it on upgrade', async () => {
    const { client, orgId, site } = await orgOn('premium');
    const [key, , link, funnel] = await createAll(client, orgId, site.domain);
    const spare = await client.post<CreatedApiKey>(`/api/orgs/${orgId}/api-keys`, { name: 'spare' });
    const machine = api.client();
    const query = { site_id: site.domain, metrics: ['visitors'], date_range: '7d' };
    const share = `/api/share/${tokenOf(link.body)}`;
    const funnelQuery = `/api/sites/${site.domain}/funnels/${funnel.body.id}/query`;
    expect((await machine.post('/api/v2/query', query, bearer(key.body.key))).status).toBe(200);
    expect((await machine.get(share)).status).toBe(200);
    expect((await client.post(funnelQuery, {})).status).toBe(200);

    await api.setPlan(orgId, 'free');
    // API keys: listed and revocable, but every call with one answers 402 (any route).
    expect(await machine.post('/api/v2/query', query, bearer(key.body.key))).toMatchObject(
      notInPlan('Stats API', 'Free', 'Basic'),
    );
    expect(await machine.get(`/api/sites/${site.domain}/funnels`, bearer(key.body.key))).toMatchObject(
      notInPlan('Stats API', 'Free', 'Basic'),
    );
    const keys = await client.get<ApiKeyView[]>(`/api/orgs/${orgId}/api-keys`);
    expect(keys.body.map((k) => k.name).sort()).toEqual(['CI', 'spare']);
    expect((await client.delete(`/api/orgs/${orgId}/api-keys/${spare.body.id}`)).status).toBe(204);
    // Shared links: listed and revocable by the owner, but the link does not serve (402, every share route).
    // (Its visitors are not told the owner's plan.)
    const paused = {
      status: 402,
      body: {
        error: {
          code: 'feature_not_in_plan',
          message: "This shared dashboard is paused: its owner's plan does not include shared links.",
        },
      },
    };
    expect(await machine.get(share)).toMatchObject(paused);
    expect(
      await machine.post(`${share}/query`, { site_id: site.domain, metrics: ['visitors'] }),
    ).toMatchObject(paused);
    expect((await machine.get(`${share}/funnels`)).status).toBe(402);
    expect((await client.get<SharedLinkView[]>(`/api/sites/${site.domain}/shared-links`)).body).toHaveLength(
      1,
    );
    // Funnels: stored and listed, deletable, but not computed nor changed.
    expect((await client.get<FunnelView[]>(`/api/sites/${site.domain}/funnels`)).body).toHaveLength(1);
    expect(await client.post(funnelQuery, {})).toMatchObject(notInPlan('Funnels', 'Free', 'Premium'));
    const rename = await client.request('PUT', `/api/sites/${site.domain}/funnels/${funnel.body.id}`, {
      name: 'Renamed',
      steps: STEPS,
    });
    expect(rename).toMatchObject(notInPlan('Funnels', 'Free', 'Premium'));
    // Email reports: the opt-in is kept (the worker sends nothing meanwhile); opting out works.
    expect((await client.get(`/api/sites/${site.domain}/email-reports`)).body).toEqual({
      weekly: true,
      monthly: false,
    });

    await api.setPlan(orgId, 'premium');
    expect((await machine.post('/api/v2/query', query, bearer(key.body.key))).status).toBe(200);
    expect((await machine.get(share)).status).toBe(200);
    expect((await client.post(funnelQuery, {})).status).toBe(200);
    expect((await client.delete(`/api/sites/${site.domain}/funnels/${funnel.body.id}`)).status).toBe(204);
  });

  it('reads the effective plan as the limits do: a canceled plan keeps its features until its period ends', async () => {
    const { client, orgId } = await orgOn('free');
    const billing = api.service(BillingRepository);
    const canceled = (periodEnd: Date) =>
      billing.writeSubscriptionState(orgId, {
        planCode: 'basic',
        billingInterval: 'monthly',
        stripeSubscriptionId: null,
        subscriptionStatus: 'canceled',
        currentPeriodStart: new Date(periodEnd.getTime() - 30 * 86_400_000),
        currentPeriodEnd: periodEnd,
        cancelAtPeriodEnd: false,
        failedPaymentAttempts: 0,
      });
    await canceled(new Date(Date.now() + 86_400_000));
    expect((await client.post(`/api/orgs/${orgId}/api-keys`, { name: 'still paid' })).status).toBe(201);
    await canceled(new Date(Date.now() - 1000));
    expect(await client.post(`/api/orgs/${orgId}/api-keys`, { name: 'lapsed' })).toMatchObject(
      notInPlan('Stats API', 'Free', 'Basic'),
    );
  });
});
