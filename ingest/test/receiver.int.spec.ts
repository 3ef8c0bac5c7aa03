import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashVisitor } from '@sightline/ingest';
import { sql } from '@sightline/clickhouse';
import { EVENT_LIMITS } from '@sightline/events';
import {
  DESKTOP_CHROME_UA,
  eventually,
  IngestPipeline,
  IPHONE_UA,
  postEvent,
  startPipeline,
  startReceiver,
  TestContext,
} from '@sightline/testing';

describe('ingest receiver → Redis → flusher → ClickHouse', () => {
  const ingest = new IngestPipeline({ TRUSTED_PROXY_HOPS: 1 });
  const { ctx } = ingest;
  beforeAll(() => ingest.start());
  afterAll(() => ingest.stop());

  const page = (path = '/') => `https://${ingest.site.domain}${path}`;

  it('stores a pageview with its enrichment', async () => {
    const res = await postEvent(
      ingest.url,
      {
        name: 'pageview',
        url: page('/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=november#section'),
        domain: ingest.site.domain,
        referrer: 'https://www.google.co.uk/search?q=kites',
      },
      { 'x-forwarded-for': '8.8.8.8' },
    );
    expect(res.status).toBe(202);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');

    const rows = await eventually(async () => {
      const stored = await ctx.events<Record<string, string>>(ingest.site.id);
      return stored.length ? stored : null;
    });
    expect(rows[0]).toMatchObject({
      name: 'pageview',
      hostname: ingest.site.domain,
      pathname: '/pricing',
      referrer: 'google.co.uk/search',
      referrer_source: 'newsletter', // a tagged utm_source wins over the referrer, as in Plausible
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'november',
      country_code: 'US',
      browser: 'Chrome',
      os: 'Windows',
      device: 'Desktop',
    });
    expect(BigInt(rows[0]?.visitor_id ?? 0)).toBeGreaterThan(0n);
  });

  it('stores custom events with props and revenue, and keeps one session per visitor', async () => {
    const ip = '1.2.3.4';
    for (const body of [
      { name: 'pageview', url: page('/checkout'), domain: ingest.site.domain },
      {
        name: 'Purchase',
        url: page('/checkout'),
        domain: ingest.site.domain,
        props: { plan: 'pro', seats: 3, trial: false },
        revenue: { amount: '49.90', currency: 'eur' },
      },
    ]) {
      expect(
        (await postEvent(ingest.url, body, { 'x-forwarded-for': ip, 'user-agent': IPHONE_UA })).status,
      ).toBe(202);
    }
    const purchase = await eventually(async () => {
      const rows = await ctx.events<Record<string, unknown>>(ingest.site.id);
      return rows.find((r) => r.name === 'Purchase');
    });
    expect(purchase).toMatchObject({
      props_keys: ['plan', 'seats', 'trial'],
      props_values: ['pro', '3', 'false'],
      revenue_amount: 49.9,
      revenue_currency: 'EUR',
      browser: 'Safari',
      os: 'iOS',
      device: 'Mobile',
    });
    const rows = await ctx.events<Record<string, string>>(ingest.site.id);
    const checkout = rows.filter((r) => r.pathname === '/checkout');
    expect(checkout).toHaveLength(2);
    expect(new Set(checkout.map((r) => r.visitor_id)).size).toBe(1);
    expect(new Set(checkout.map((r) => r.session_id)).size).toBe(1);
    // A different device behind the same IP is a different visitor.
    const desktop = rows.find((r) => r.pathname === '/pricing');
    expect(desktop?.visitor_id).not.toBe(checkout[0]?.visitor_id);
  });

  it('keeps hash routes (#/...) in the path and drops plain anchors', async () => {
    await postEvent(ingest.url, {
      name: 'pageview',
      url: page('/app#/settings'),
      domain: ingest.site.domain,
    });
    const row = await eventually(async () =>
      (await ctx.events<Record<string, string>>(ingest.site.id)).find((r) => r.pathname?.startsWith('/app')),
    );
    expect(row?.pathname).toBe('/app#/settings');
  });

  it('accepts bots, unknown domains and referrer spam with 202 but stores none of them', async () => {
    const other = await ctx.newSite();
    const bot = await postEvent(
      ingest.url,
      { name: 'pageview', url: `https://${other.domain}/`, domain: other.domain },
      {
        'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      },
    );
    const headless = await postEvent(
      ingest.url,
      { name: 'pageview', url: `https://${other.domain}/`, domain: other.domain },
      {
        'user-agent': DESKTOP_CHROME_UA.replace('Chrome/', 'HeadlessChrome/'),
      },
    );
    const spam = await postEvent(ingest.url, {
      name: 'pageview',
      url: `https://${other.domain}/`,
      domain: other.domain,
      referrer: 'http://semalt.com/',
    });
    const unknown = await postEvent(ingest.url, {
      name: 'pageview',
      url: 'https://nobody-registered-this.test/',
      domain: 'nobody-registered-this.test',
    });
    expect([bot.status, headless.status, spam.status, unknown.status]).toEqual([202, 202, 202, 202]);
    // A real event sent afterwards arrives: once it is stored, the earlier ones would have been too.
    await postEvent(ingest.url, {
      name: 'sentinel',
      url: `https://${other.domain}/`,
      domain: other.domain,
    });
    await eventually(() => ctx.countEvents(other.id, sql`name = 'sentinel'`));
    expect(await ctx.countEvents(other.id)).toBe(1);
    const metrics = await ingest.receiver.registry.getSingleMetricAsString(
      'sightline_ingest_events_dropped_total',
    );
    expect(metrics).toMatch(/reason="bot"[^\n]* 2/);
    expect(metrics).toMatch(/reason="referrer_spam"[^\n]* 1/);
    expect(metrics).toMatch(/reason="unknown_site"[^\n]* 1/);
  });

  describe('bad input gets a documented 4xx and stores nothing', () => {
    const valid = () => ({ name: 'pageview', url: page('/bad-input'), domain: ingest.site.domain });
    const cases: [string, () => unknown, number, string, Record<string, string>?][] = [
      ['malformed JSON', () => '{"name": "pageview",', 400, 'malformed_json'],
      ['an empty body', () => '', 400, 'malformed_json'],
      ['a JSON array', () => '[1,2,3]', 400, 'invalid_body'],
      ['a missing name', () => ({ url: page('/'), domain: ingest.site.domain }), 400, 'invalid_body'],
      ['a number as name', () => ({ ...valid(), name: 42 }), 400, 'invalid_body'],
      [
        'an over-long name',
        () => ({ ...valid(), name: 'x'.repeat(EVENT_LIMITS.nameLength + 1) }),
        400,
        'invalid_body',
      ],
      ['a relative url', () => ({ ...valid(), url: '/pricing' }), 400, 'invalid_url'],
      ['a javascript: url', () => ({ ...valid(), url: 'javascript:alert(1)' }), 400, 'invalid_url'],
      ['a malformed domain', () => ({ ...valid(), domain: 'not a domain!' }), 400, 'invalid_domain'],
      ['nested props', () => ({ ...valid(), props: { a: { b: 1 } } }), 400, 'invalid_body'],
      [
        'too many props',
        () => ({ ...valid(), props: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i])) }),
        400,
        'invalid_body',
      ],
      [
        'an over-long prop value',
        () => ({ ...valid(), props: { k: 'v'.repeat(EVENT_LIMITS.propValueLength + 1) } }),
        400,
        'invalid_body',
      ],
      [
        'a non-numeric revenue',
        () => ({ ...valid(), revenue: { amount: 'lots', currency: 'USD' } }),
        400,
        'invalid_revenue',
      ],
      [
        'a bad currency',
        () => ({ ...valid(), revenue: { amount: 1, currency: 'dollars' } }),
        400,
        'invalid_body',
      ],
      [
        'an oversized body',
        () => ({ ...valid(), props: { k: 'v'.repeat(EVENT_LIMITS.maxBodyBytes) } }),
        413,
        'body_too_large',
      ],
      [
        'an unsupported content type',
        () => JSON.stringify(valid()),
        415,
        'unsupported_media_type',
        { 'content-type': 'application/xml' },
      ],
    ];
    it.each(cases)('%s', async (_label, body, status, code, headers) => {
      const res = await postEvent(ingest.url, body(), headers ?? {});
      expect(res.status).toBe(status);
      expect(await res.json()).toMatchObject({ error: { code } });
    });

    it('stored none of them', async () => {
      await postEvent(ingest.url, { ...valid(), name: 'after-bad-input' });
      await eventually(() => ctx.countEvents(ingest.site.id, sql`name = 'after-bad-input'`));
      expect(await ctx.countEvents(ingest.site.id, sql`pathname = '/bad-input'`)).toBe(1);
    });
  });

  it('answers over-large headers with 431 in the documented error shape', async () => {
    const { request } = await import('node:http');
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${ingest.url}/api/event`,
        { method: 'POST', headers: { 'x-padding': 'x'.repeat(20_000) } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(431);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'headers_too_large' } });
  });

  it('accepts application/json too and answers CORS preflights', async () => {
    const res = await fetch(`${ingest.url}/api/event`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': DESKTOP_CHROME_UA },
      body: JSON.stringify({ name: 'pageview', url: page('/json'), domain: ingest.site.domain }),
    });
    expect(res.status).toBe(202);
    const preflight = await fetch(`${ingest.url}/api/event`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  it('serves the tracker with CDN-friendly caching, an ETag and gzip', async () => {
    const res = await fetch(`${ingest.url}/js/script.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    const body = await res.text();
    expect(body).toContain('/api/event');
    const etag = res.headers.get('etag') ?? '';
    expect(etag).toMatch(/^".+"$/);
    const again = await fetch(`${ingest.url}/js/script.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const gz = await fetch(`${ingest.url}/js/script.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(await gz.text()).toBe(body); // fetch decodes it
  });

  it('reports health and readiness', async () => {
    expect((await fetch(`${ingest.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${ingest.url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready' });
    expect(await ingest.flusher.readiness.notReadyReason()).toBeNull();
  });
});

describe('X-Forwarded-For', () => {
  const ingest = new IngestPipeline({ TRUSTED_PROXY_HOPS: 0 });
  beforeAll(() => ingest.start());
  afterAll(() => ingest.stop());

  it('is ignored unless a proxy hop is trusted', async () => {
    const { ctx, site } = ingest;
    await postEvent(
      ingest.url,
      { name: 'pageview', url: `https://${site.domain}/`, domain: site.domain },
      { 'x-forwarded-for': '8.8.8.8' },
    );
    const rows = await eventually(async () => {
      const stored = await ctx.events<Record<string, string>>(site.id);
      return stored.length ? stored : null;
    });
    expect(rows[0]?.country_code).toBe(''); // the loopback peer address, not the spoofed header
  });
});

describe('rate limits and host allowlist', () => {
  const ctx = new TestContext();
  afterAll(() => ctx.close());

  it('answers 429 with Retry-After once an IP exceeds its limit, without affecting other IPs', async () => {
    const config = ctx.ingestConfig({
      TRUSTED_PROXY_HOPS: 1,
      RATE_LIMIT_PER_IP: 5,
      RATE_LIMIT_WINDOW_SECONDS: 30,
    });
    const receiver = await startReceiver(config);
    try {
      const site = await ctx.newSite();
      const send = (ip: string) =>
        postEvent(
          receiver.url,
          { name: 'pageview', url: `https://${site.domain}/`, domain: site.domain },
          { 'x-forwarded-for': ip },
        );
      const statuses = [];
      for (let i = 0; i < 7; i++) statuses.push((await send('198.51.100.7')).status);
      expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429]);
      const limited = await send('198.51.100.7');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await limited.json()).toMatchObject({ error: { code: 'rate_limited_ip' } });
      expect((await send('198.51.100.8')).status).toBe(202);
    } finally {
      await receiver.close();
    }
  });

  it('limits a flooding site without starving the others', async () => {
    const config = ctx.ingestConfig({
      TRUSTED_PROXY_HOPS: 1,
      RATE_LIMIT_PER_SITE: 4,
      RATE_LIMIT_WINDOW_SECONDS: 30,
    });
    const receiver = await startReceiver(config);
    try {
      const [flooding, quiet] = [await ctx.newSite(), await ctx.newSite()];
      const send = (site: { domain: string }, i: number) =>
        postEvent(
          receiver.url,
          { name: 'pageview', url: `https://${site.domain}/`, domain: site.domain },
          // Distinct /24s: one range alone may only take a tenth of a site's capacity.
          { 'x-forwarded-for': `203.0.${i}.1` },
        );
      const floodStatuses = [];
      for (let i = 0; i < 6; i++) floodStatuses.push((await send(flooding, i)).status);
      expect(floodStatuses).toEqual([202, 202, 202, 202, 429, 429]);
      expect((await send(quiet, 50)).status).toBe(202);
    } finally {
      await receiver.close();
    }
  });

  // Security finding 6: one IPv6 /64 is 2^64 addresses. Keyed on the exact address, a client
  // rotating through its /64 (or /48) passed every per-IP check and used up the site's limit, so
  // the site's real visitors got 429.
  it('keys IPv6 by /64 and caps a source range, so one range cannot use up a site', async () => {
    const config = ctx.ingestConfig({
      TRUSTED_PROXY_HOPS: 1,
      RATE_LIMIT_PER_IP: 5,
      RATE_LIMIT_PER_SITE: 60,
      RATE_LIMIT_WINDOW_SECONDS: 60,
    });
    const receiver = await startReceiver(config);
    try {
      const site = await ctx.newSite();
      const send = (ip: string) =>
        postEvent(
          receiver.url,
          { name: 'pageview', url: `https://${site.domain}/`, domain: site.domain },
          { 'x-forwarded-for': ip },
        ).then((r) => r.status);
      // 100 addresses of one /64: the /64 is one client with 5 events.
      const oneSubnet = [];
      for (let i = 1; i <= 100; i++) oneSubnet.push(await send(`2001:db8:1:2::${i.toString(16)}`));
      expect(oneSubnet.filter((s) => s === 202)).toHaveLength(5);
      // 100 /64s of one /48: the range gets at most a tenth of the site's capacity (6 of 60).
      const oneRange = [];
      for (let i = 1; i <= 100; i++) oneRange.push(await send(`2001:db8:7:${i.toString(16)}::1`));
      expect(oneRange.filter((s) => s === 202)).toHaveLength(6);
      // The same for IPv4: a /24 cannot take the site's capacity either.
      const oneV4Range = [];
      for (let i = 1; i <= 100; i++) oneV4Range.push(await send(`198.51.100.${i}`));
      expect(oneV4Range.filter((s) => s === 202)).toHaveLength(6);
      // Real visitors elsewhere still get in.
      expect(await send('2001:db8:99:1::1')).toBe(202);
      expect(await send('192.0.2.10')).toBe(202);
    } finally {
      await receiver.close();
    }
  });

  it('refuses page hosts a site does not allow, with 403', async () => {
    const ingest = await startPipeline(ctx.ingestConfig());
    try {
      const site = await ctx.newSite();
      await ctx.pool.query(`UPDATE sites SET allowed_hostnames = $1 WHERE id = $2`, [
        [site.domain, `*.${site.domain}`],
        site.id,
      ]);
      const send = (host: string) =>
        postEvent(ingest.url, { name: 'pageview', url: `https://${host}/`, domain: site.domain });
      const foreign = await send('copycat.example');
      expect(foreign.status).toBe(403);
      expect(await foreign.json()).toMatchObject({ error: { code: 'hostname_not_allowed' } });
      expect((await send(site.domain)).status).toBe(202);
      expect((await send(`shop.${site.domain}`)).status).toBe(202);
      await eventually(async () => (await ctx.countEvents(site.id)) === 2, {
        what: 'the two allowed events',
      });
      expect(await ctx.countEvents(site.id, sql`hostname = 'copycat.example'`)).toBe(0);
    } finally {
      await ingest.close();
    }
  });
});

describe('sessions across midnight', () => {
  const ctx = new TestContext();
  afterAll(() => ctx.close());

  it("continues yesterday's session (and visitor id) when the visitor is still active after the salt changed", async () => {
    const config = ctx.ingestConfig();
    const redis = new Redis(config.REDIS_URL);
    const site = await ctx.newSite();
    try {
      const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      await redis.set(`sightline:salt:${day(-1)}`, 'yesterdays-salt', 'EX', 3600, 'NX');
      const yesterdaysSalt = (await redis.get(`sightline:salt:${day(-1)}`)) as string;
      // The visitor was active under yesterday's id a few minutes ago, in session 4242.
      const yesterdaysId = hashVisitor(yesterdaysSalt, site.id, '127.0.0.1', DESKTOP_CHROME_UA);
      await redis.set(`sightline:session:${site.id}:${yesterdaysId}`, '4242', 'EX', 1800);

      const ingest = await startPipeline(config);
      try {
        await postEvent(ingest.url, {
          name: 'pageview',
          url: `https://${site.domain}/after-midnight`,
          domain: site.domain,
        });
        const rows = await eventually(async () => {
          const stored = await ctx.events<{ session_id: string; visitor_id: string }>(site.id);
          return stored.length ? stored : null;
        });
        expect(rows[0]).toMatchObject({ session_id: '4242', visitor_id: yesterdaysId.toString() });
      } finally {
        await ingest.close();
      }
    } finally {
      redis.disconnect();
    }
  });
});
