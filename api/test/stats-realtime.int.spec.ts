import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RealtimeMessage, SiteView } from '@sightline/api-contract';
import type { QueryResponse } from '@sightline/query';
import { DESKTOP_CHROME_UA, eventually, postEvent, startPipeline } from '@sightline/testing';
import { APP_ORIGIN, ApiHarness, type ApiClient } from './api-harness';

/** A WebSocket client that records every message. */
async function openRealtime(baseUrl: string, domain: string, headers: Record<string, string>) {
  const url = `${baseUrl.replace('http', 'ws')}/api/realtime?site=${encodeURIComponent(domain)}`;
  const ws = new WebSocket(url, { headers });
  const messages: RealtimeMessage[] = [];
  ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as RealtimeMessage));
  const outcome = await new Promise<{ open: true } | { open: false; status: number }>((resolve) => {
    ws.once('open', () => resolve({ open: true }));
    ws.once('unexpected-response', (_req, res) => resolve({ open: false, status: res.statusCode ?? 0 }));
    ws.once('error', () => resolve({ open: false, status: 0 }));
  });
  return { ws, messages, outcome };
}

describe('stats query and realtime, fed by the real ingest pipeline', () => {
  const api = new ApiHarness();
  const { ctx } = api;
  let ingest: Awaited<ReturnType<typeof startPipeline>>;
  let owner: ApiClient;
  let site: SiteView;

  beforeAll(async () => {
    await api.start();
    ingest = await startPipeline(ctx.ingestConfig({ SITE_CACHE_TTL_MS: 100 }));
    const user = await api.signedUpUser('stats');
    owner = user.client;
    const created = await owner.post<SiteView>(`/api/orgs/${user.orgId}/sites`, {
      domain: `live-${ctx.runId}.example`,
      timezone: 'Europe/Berlin',
    });
    expect(created.status).toBe(201);
    site = created.body;
  });

  afterAll(async () => {
    await ingest.close();
    await api.stop();
  });

  it('pushes the visitor count and stored events to an open dashboard without reload', async () => {
    const { ws, messages, outcome } = await openRealtime(api.baseUrl, site.domain, {
      cookie: owner.cookie ?? '',
      origin: APP_ORIGIN,
    });
    expect(outcome).toEqual({ open: true });
    await eventually(async () => messages.find((m) => m.type === 'visitors'), { what: 'initial count' });
    expect(messages[0]).toEqual({ type: 'visitors', visitors: 0 });

    const res = await postEvent(
      ingest.url,
      {
        name: 'pageview',
        url: `https://${site.domain}/pricing`,
        domain: site.domain,
        referrer: 'https://news.ycombinator.com/',
      },
      { 'user-agent': DESKTOP_CHROME_UA, 'x-forwarded-for': '81.2.69.142' },
    );
    expect(res.status).toBe(202);

    const live = await eventually(async () => messages.find((m) => m.type === 'events'), {
      what: 'live event',
    });
    expect(live).toMatchObject({
      type: 'events',
      events: [{ name: 'pageview', pathname: '/pricing', device: 'Desktop' }],
    });
    await eventually(async () => messages.some((m) => m.type === 'visitors' && m.visitors === 1), {
      what: 'visitor count 1',
    });
    expect((await owner.get(`/api/sites/${site.domain}/realtime`)).body).toEqual({ visitors: 1 });
    ws.close();
  });

  it('answers the Plausible-style query with the stored numbers', async () => {
    const res = await owner.post<QueryResponse>('/api/v2/query', {
      site_id: site.domain,
      metrics: ['visitors', 'pageviews'],
      date_range: 'day',
      dimensions: ['event:page'],
    });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([{ dimensions: ['/pricing'], metrics: [1, 1] }]);
    const status = await owner.get(`/api/sites/${site.domain}/status`);
    expect(status.body).toMatchObject({ hasEvents: true });
  });

  it('names the bad field of an invalid query', async () => {
    const res = await owner.post('/api/v2/query', {
      site_id: site.domain,
      metrics: ['visitors', 'nope'],
      date_range: '7d',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { field: 'metrics[1]' } });
    const noSite = await owner.post('/api/v2/query', { metrics: ['visitors'], date_range: '7d' });
    expect(noSite).toMatchObject({ status: 400, body: { error: { field: 'site_id' } } });
  });

  it('refuses WebSockets without a session, from foreign origins, and for other orgs’ sites', async () => {
    const anonymous = await openRealtime(api.baseUrl, site.domain, { origin: APP_ORIGIN });
    expect(anonymous.outcome).toEqual({ open: false, status: 401 });
    const foreign = await openRealtime(api.baseUrl, site.domain, {
      cookie: owner.cookie ?? '',
      origin: 'https://evil.example',
    });
    expect(foreign.outcome).toEqual({ open: false, status: 403 });
    const stranger = await api.signedUpUser('stranger');
    const other = await openRealtime(api.baseUrl, site.domain, {
      cookie: stranger.client.cookie ?? '',
      origin: APP_ORIGIN,
    });
    expect(other.outcome).toEqual({ open: false, status: 404 });
    const query = await stranger.client.post('/api/v2/query', {
      site_id: site.domain,
      metrics: ['visitors'],
      date_range: 'day',
    });
    expect(query.status).toBe(404);
  });
});
