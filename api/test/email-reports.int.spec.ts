import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailReportSettings, SiteView, UnsubscribeResult } from '@sightline/api-contract';
import { signUnsubscribeToken } from '@sightline/mail';
import { ApiHarness } from './api-harness';

describe('email-report settings and the unsubscribe link', () => {
  const api = new ApiHarness();
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  async function memberWithSite() {
    const owner = await api.signedUpUserOn('basic', 'reports');
    const domain = `reports-${randomBytes(3).toString('hex')}.example`;
    const site = (await owner.client.post<SiteView>(`/api/orgs/${owner.orgId}/sites`, { domain })).body;
    return { ...owner, site, userId: owner.me.user.id };
  }

  it('lets a member opt in and out for themselves, validating the body', async () => {
    const { client, site } = await memberWithSite();
    const path = `/api/sites/${site.domain}/email-reports`;
    expect((await client.get<EmailReportSettings>(path)).body).toEqual({ weekly: false, monthly: false });
    const on = await client.request<EmailReportSettings>('PUT', path, { weekly: true, monthly: false });
    expect(on).toMatchObject({ status: 200, body: { weekly: true, monthly: false } });
    expect((await client.get<EmailReportSettings>(path)).body).toEqual({ weekly: true, monthly: false });
    const bad = await client.request('PUT', path, { weekly: 'yes', monthly: false });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect((await client.request('PUT', path, { weekly: true, monthly: true, extra: 1 })).status).toBe(400);
    const stranger = await api.signedUpUser('reports-stranger');
    expect((await stranger.client.get(path)).status).toBe(404);
    expect((await api.client().get(path)).status).toBe(401);
  });

  it('unsubscribes with the signed link once, without signing in, and rejects tampering', async () => {
    const { client, site, userId } = await memberWithSite();
    const path = `/api/sites/${site.domain}/email-reports`;
    await client.request('PUT', path, { weekly: true, monthly: true });
    const token = signUnsubscribeToken(api.config.signingKey, {
      siteId: site.id,
      userId,
      kind: 'weekly',
      version: 0,
    });
    const anonymous = api.client();

    const [body, signature] = token.split('.') as [string, string];
    const otherSite = Buffer.from(JSON.stringify({ s: site.id + 1, u: userId, k: 'weekly', v: 0 })).toString(
      'base64url',
    );
    for (const forged of [`${otherSite}.${signature}`, `${body}.${signature.slice(0, -3)}abc`, body, '']) {
      const res = await anonymous.post(`/api/email-reports/unsubscribe?token=${encodeURIComponent(forged)}`);
      expect(res).toMatchObject({ status: 400, body: { error: { code: 'invalid_token' } } });
    }
    const wrongSecret = signUnsubscribeToken('z'.repeat(40), {
      siteId: site.id,
      userId,
      kind: 'weekly',
      version: 0,
    });
    expect((await anonymous.post(`/api/email-reports/unsubscribe?token=${wrongSecret}`)).status).toBe(400);
    expect((await client.get<EmailReportSettings>(path)).body).toEqual({ weekly: true, monthly: true });

    // The link as a mail client (or a mail scanner prefetching it) opens it: a confirm page that
    // changes nothing, however often it is fetched; a tampered token gets the error page.
    for (let i = 0; i < 2; i++) {
      const confirm = await fetch(`${api.baseUrl}/api/email-reports/unsubscribe?token=${token}`);
      expect(confirm.status).toBe(200);
      expect(confirm.headers.get('content-type')).toMatch(/text\/html/);
      const html = await confirm.text();
      expect(html).toContain('Unsubscribe from weekly reports?');
      expect(html).toContain(
        `<form method="post" action="/api/email-reports/unsubscribe?token=${token}&#38;format=html">`,
      );
    }
    expect((await client.get<EmailReportSettings>(path)).body).toEqual({ weekly: true, monthly: true });
    const forgedPage = await fetch(`${api.baseUrl}/api/email-reports/unsubscribe?token=${body}.x`);
    expect(forgedPage.status).toBe(400);
    expect(await forgedPage.text()).toContain('Invalid link');
    expect((await fetch(`${api.baseUrl}/api/email-reports/unsubscribe`)).status).toBe(400);

    // The confirm page's button: a form POST answered with a page.
    const page = await fetch(`${api.baseUrl}/api/email-reports/unsubscribe?token=${token}&format=html`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: new URL(api.config.PUBLIC_APP_URL).origin,
      },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain(`weekly reports for ${site.domain}`);
    expect((await client.get<EmailReportSettings>(path)).body).toEqual({ weekly: false, monthly: true });

    // Works once: the same link again is refused (the subscription's token version moved on).
    const again = await anonymous.post<UnsubscribeResult>(`/api/email-reports/unsubscribe?token=${token}`);
    expect(again).toMatchObject({ status: 410, body: { error: { code: 'link_used' } } });
    const againPage = await fetch(`${api.baseUrl}/api/email-reports/unsubscribe?token=${token}&format=html`, {
      method: 'POST',
    });
    expect(againPage.status).toBe(410);
    expect(await againPage.text()).toContain('Already unsubscribed');

    // A fresh link (next mail, current version) for the monthly report, by one-click POST.
    const monthly = signUnsubscribeToken(api.config.signingKey, {
      siteId: site.id,
      userId,
      kind: 'monthly',
      version: 1,
    });
    const res = await anonymous.post<UnsubscribeResult>(
      `/api/email-reports/unsubscribe?token=${monthly}`,
      'List-Unsubscribe=One-Click',
      {
        'content-type': 'application/x-www-form-urlencoded',
      },
    );
    expect(res).toMatchObject({
      status: 200,
      body: { unsubscribed: true, domain: site.domain, kind: 'monthly' },
    });
    expect((await client.get<EmailReportSettings>(path)).body).toEqual({ weekly: false, monthly: false });
  });
});
