import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@sightline/clickhouse';
import { eventually, IngestPipeline, IPHONE_UA, postVitals } from '@sightline/testing';

describe('POST /api/vitals → Redis stream → flusher → ClickHouse web_vitals', () => {
  const ingest = new IngestPipeline({ TRUSTED_PROXY_HOPS: 1 });
  const { ctx } = ingest;
  beforeAll(() => ingest.start());
  afterAll(() => ingest.stop());

  const post = (body: unknown, headers: Record<string, string> = {}) => postVitals(ingest.url, body, headers);
  const vitalsRows = async (siteId = ingest.site.id) => {
    const rs = await ctx.clickhouse.query({
      query: sql`SELECT pathname, device, browser, country_code, lcp, inp, cls, fcp, ttfb
        FROM web_vitals WHERE site_id = ${siteId} ORDER BY timestamp, pathname`.text,
      format: 'JSONEachRow',
    });
    return rs.json<Record<string, unknown>>();
  };

  it('stores one row with page path, device class and country; unmeasured metrics as -1', async () => {
    const full = await post(
      {
        domain: ingest.site.domain,
        url: `https://${ingest.site.domain}/pricing?x=1#top`,
        lcp: 2100.6,
        inp: 88,
        cls: 0.04321,
        fcp: 900,
        ttfb: 120,
      },
      { 'x-forwarded-for': '8.8.8.8' },
    );
    expect(full.status).toBe(202);
    expect(full.headers.get('access-control-allow-origin')).toBe('*');
    const partial = await post(
      { domain: ingest.site.domain, url: `https://${ingest.site.domain}/blog`, ttfb: 0, cls: 0 },
      { 'user-agent': IPHONE_UA },
    );
    expect(partial.status).toBe(202);

    const rows = await eventually(async () => {
      const stored = await vitalsRows();
      return stored.length >= 2 ? stored : null;
    });
    expect(rows.find((r) => r.pathname === '/pricing')).toMatchObject({
      device: 'Desktop',
      browser: 'Chrome',
      country_code: 'US',
      lcp: 2101,
      inp: 88,
      fcp: 900,
      ttfb: 120,
    });
    expect(Number(rows.find((r) => r.pathname === '/pricing')?.cls)).toBeCloseTo(0.0432, 4);
    expect(rows.find((r) => r.pathname === '/blog')).toMatchObject({
      device: 'Mobile',
      lcp: -1,
      inp: -1,
      cls: 0,
      fcp: -1,
      ttfb: 0,
    });
  });

  it('refuses absurd values with a clear 400 and stores nothing', async () => {
    const hostileSite = await ctx.newSite();
    const url = `https://${hostileSite.domain}/`;
    const base = { domain: hostileSite.domain, url };
    const cases: [unknown, number, string][] = [
      [{ ...base, lcp: -1 }, 400, 'invalid_body'],
      [{ ...base, lcp: 3_600_001 }, 400, 'invalid_body'], // LCP over an hour
      [{ ...base, ttfb: 1e12 }, 400, 'invalid_body'],
      [{ ...base, cls: 100.5 }, 400, 'invalid_body'],
      [{ ...base, cls: -0.1 }, 400, 'invalid_body'],
      [{ ...base, inp: 'NaN' }, 400, 'invalid_body'],
      [{ ...base, fcp: null }, 400, 'invalid_body'],
      [{ ...base, lcp: [1] }, 400, 'invalid_body'],
      [`{"domain":"${hostileSite.domain}","url":"${url}","lcp":1e999}`, 400, 'invalid_body'], // Infinity
      [`{"domain":"${hostileSite.domain}","url":"${url}","lcp":NaN}`, 400, 'malformed_json'],
      [{ ...base }, 400, 'no_vitals'],
      [{ ...base, lcp: 100, extra: 'field' }, 400, 'invalid_body'],
      [{ ...base, url: 'javascript:alert(1)', lcp: 100 }, 400, 'invalid_url'],
      [{ ...base, url: 'https://elsewhere.example/', lcp: 100 }, 202, ''], // no allowlist: any host
      [{ domain: 'not a domain', url, lcp: 100 }, 400, 'invalid_domain'],
      [{ url, lcp: 100 }, 400, 'invalid_body'],
      ['x'.repeat(20_000), 413, 'body_too_large'],
    ];
    for (const [body, status, code] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body).slice(0, 120)).toBe(status);
      if (code)
        expect(await res.json(), JSON.stringify(body).slice(0, 120)).toMatchObject({ error: { code } });
    }
    // An allowlist refuses other hosts with 403 (set before the site's first request, so not cached).
    const listed = await ctx.newSite();
    await ctx.pool.query(`UPDATE sites SET allowed_hostnames = $1 WHERE id = $2`, [
      [listed.domain],
      listed.id,
    ]);
    const foreign = await post({ domain: listed.domain, url: 'https://copycat.example/', lcp: 5 });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { code: 'hostname_not_allowed' } });
    // A bot's beacon and one for an unknown site are dropped: 202 so they do not retry, nothing stored.
    const bot = await post(
      { ...base, lcp: 5 },
      { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' },
    );
    expect(bot.status).toBe(202);
    const unknown = await post({
      domain: 'unknown-vitals.example',
      url: 'https://unknown-vitals.example/',
      lcp: 5,
    });
    expect(unknown.status).toBe(202);

    // A valid beacon after them proves the flusher has moved past: only it and the 202 above are stored.
    expect((await post({ ...base, lcp: 1234 })).status).toBe(202);
    const rows = await eventually(async () => {
      const stored = await vitalsRows(hostileSite.id);
      return stored.some((r) => r.lcp === 1234) ? stored : null;
    });
    expect(rows.map((r) => r.lcp).sort()).toEqual([100, 1234]);
    expect(await vitalsRows(listed.id)).toEqual([]);
  });

  it('serves the tracker with the vitals extension at /js/script.vitals.js', async () => {
    const res = await fetch(`${ingest.url}/js/script.vitals.js`, {
      headers: { 'accept-encoding': 'identity' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    const code = await res.text();
    expect(code).toContain('largest-contentful-paint');
    expect(code).toContain('/api/vitals');
    const etag = res.headers.get('etag') ?? '';
    expect(
      (await fetch(`${ingest.url}/js/script.vitals.js`, { headers: { 'if-none-match': etag } })).status,
    ).toBe(304);
    const preflight = await fetch(`${ingest.url}/api/vitals`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
  });

  it('serves engagement and vitals together at /js/script.engagement.vitals.js (extensions in any order)', async () => {
    const fetchScript = async (name: string) => {
      const res = await fetch(`${ingest.url}/js/${name}`, { headers: { 'accept-encoding': 'identity' } });
      return { status: res.status, etag: res.headers.get('etag'), code: await res.text() };
    };
    const both = await fetchScript('script.engagement.vitals.js');
    expect(both.status).toBe(200);
    expect(both.code).toContain('/api/vitals');
    expect(both.code).toContain('"engagement"');
    // Plausible accepts extensions in any order: the same file under the other name.
    const swapped = await fetchScript('script.vitals.engagement.js');
    expect(swapped).toEqual(both);
    // The one-extension names keep working and carry only their own extension.
    const engagement = await fetchScript('script.engagement.js');
    expect(engagement.code).toContain('"engagement"');
    expect(engagement.code).not.toContain('/api/vitals');
    const vitals = await fetchScript('script.vitals.js');
    expect(vitals.code).not.toContain('"engagement"');
    const base = await fetchScript('script.js');
    expect(base.code).not.toContain('"engagement"');
    expect(base.code).not.toContain('/api/vitals');
    // No other names: an unknown or repeated extension is a 404.
    for (const name of ['script.vitals.vitals.js', 'script.engagement.foo.js', 'script.tagged-events.js'])
      expect((await fetchScript(name)).status, name).toBe(404);
  });
});
