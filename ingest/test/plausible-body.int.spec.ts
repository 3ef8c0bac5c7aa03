import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@sightline/clickhouse';
import { EVENT_LIMITS } from '@sightline/events';
import { eventually, IngestPipeline, postEvent } from '@sightline/testing';

/**
 * Plausible's own clients post one-letter keys (`n`, `u`, `d`, `r`, `p`, `$`, `i`, `h`, `w`, `v`)
 * and engagement pings (`sd`, `e`); the bodies below are the ones their trackers build
 * (plausible-tracker 0.3.9 src/lib/request.ts, @plausible-analytics/tracker 0.4.6 plausible.js).
 */
describe('POST /api/event with Plausible tracker bodies', () => {
  const ingest = new IngestPipeline();
  const { ctx } = ingest;
  beforeAll(() => ingest.start());
  afterAll(() => ingest.stop());

  const page = (path: string) => `https://${ingest.site.domain}${path}`;

  async function storedRow(name: string): Promise<Record<string, unknown>> {
    const rows = await eventually(async () => {
      const found = (await ctx.events<Record<string, unknown>>(ingest.site.id)).filter(
        (r) => r.name === name,
      );
      return found.length ? found : null;
    });
    expect(rows).toHaveLength(1);
    return rows[0] as Record<string, unknown>;
  }

  it('stores a plausible-tracker pageview (short keys, w and h, no props)', async () => {
    const res = await postEvent(ingest.url, {
      n: 'pageview',
      u: page('/docs?utm_source=news'),
      d: ingest.site.domain,
      r: 'https://duckduckgo.com/',
      w: 1280,
      h: 0,
    });
    expect(res.status).toBe(202);
    expect(await storedRow('pageview')).toMatchObject({
      pathname: '/docs',
      referrer_source: 'news',
      utm_source: 'news',
      scroll_depth: 0,
      engagement_time: 0,
    });
  });

  it('parses p when it is a JSON string (plausible-tracker stringifies props)', async () => {
    const res = await postEvent(ingest.url, {
      n: 'Download',
      u: page('/files'),
      d: ingest.site.domain,
      r: null,
      w: 390,
      h: 0,
      p: JSON.stringify({ format: 'pdf', pages: 12, draft: false }),
    });
    expect(res.status).toBe(202);
    expect(await storedRow('Download')).toMatchObject({
      props_keys: ['format', 'pages', 'draft'],
      props_values: ['pdf', '12', 'false'],
    });
  });

  it('stores a script v36 custom event with p as an object, i, v and $ revenue', async () => {
    const res = await postEvent(ingest.url, {
      n: 'Purchase',
      v: 36,
      u: page('/checkout'),
      d: ingest.site.domain,
      r: null,
      p: { plan: 'pro' },
      i: false,
      $: { amount: '19.99', currency: 'eur' },
    });
    expect(res.status).toBe(202);
    expect(await storedRow('Purchase')).toMatchObject({
      pathname: '/checkout',
      props_keys: ['plan'],
      props_values: ['pro'],
      revenue_amount: 19.99,
      revenue_currency: 'EUR',
    });
  });

  it('stores a script v36 engagement ping with its scroll depth and engaged time', async () => {
    const res = await postEvent(ingest.url, {
      n: 'engagement',
      sd: 57,
      d: ingest.site.domain,
      u: page('/blog/post'),
      p: {},
      e: 4321,
      v: 36,
    });
    expect(res.status).toBe(202);
    expect(await storedRow('engagement')).toMatchObject({
      pathname: '/blog/post',
      scroll_depth: 57,
      engagement_time: 4321,
    });
  });

  it('lets the long key win when a body has both, keeps the fragment with h: 1, and takes d from u when absent', async () => {
    const res = await postEvent(ingest.url, {
      name: 'LongName',
      n: 'short-name',
      url: page('/app#settings'),
      u: page('/elsewhere'),
      h: 1,
    });
    expect(res.status).toBe(202);
    expect(await storedRow('LongName')).toMatchObject({
      pathname: '/app#settings',
      hostname: ingest.site.domain,
    });
  });

  it('clamps a scroll depth a little over 100 (a page that shrank) to 100', async () => {
    const res = await postEvent(ingest.url, {
      n: 'engagement',
      sd: 104,
      e: 10,
      d: ingest.site.domain,
      u: page('/shrunk'),
    });
    expect(res.status).toBe(202);
    await eventually(() => ctx.countEvents(ingest.site.id, sql`pathname = '/shrunk'`));
    expect(await ctx.countEvents(ingest.site.id, sql`pathname = '/shrunk' AND scroll_depth = 100`)).toBe(1);
  });

  describe('hostile short-key bodies get a clear 4xx and store nothing', () => {
    const base = () => ({ n: 'pageview', u: page('/hostile'), d: ingest.site.domain });
    const ping = (extra: Record<string, unknown>) => ({ ...base(), n: 'engagement', ...extra });
    const cases: [string, () => unknown, number, string][] = [
      ['p as a string that is not JSON', () => ({ ...base(), p: '{"a":' }), 400, 'invalid_props'],
      ['p as a JSON string of an array', () => ({ ...base(), p: '[1,2]' }), 400, 'invalid_props'],
      ['p as a JSON string of a number', () => ({ ...base(), p: '42' }), 400, 'invalid_props'],
      [
        'p as a JSON string with nested values',
        () => ({ ...base(), p: '{"a":{"b":1}}' }),
        400,
        'invalid_body',
      ],
      [
        'p as a JSON string with too many props',
        () => ({
          ...base(),
          p: JSON.stringify(Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i]))),
        }),
        400,
        'invalid_body',
      ],
      [
        'p as a JSON string with an over-long value',
        () => ({ ...base(), p: JSON.stringify({ k: 'v'.repeat(EVENT_LIMITS.propValueLength + 1) }) }),
        400,
        'invalid_body',
      ],
      ['$ as a string that is not JSON', () => ({ ...base(), $: 'ten euros' }), 400, 'invalid_revenue'],
      [
        '$ with a non-numeric amount',
        () => ({ ...base(), $: { amount: 'x', currency: 'EUR' } }),
        400,
        'invalid_revenue',
      ],
      ['n as a number', () => ({ ...base(), n: 7 }), 400, 'invalid_body'],
      ['u missing', () => ({ n: 'pageview', d: ingest.site.domain }), 400, 'invalid_body'],
      ['u relative', () => ({ ...base(), u: '/x' }), 400, 'invalid_url'],
      [
        'an over-long n',
        () => ({ ...base(), n: 'x'.repeat(EVENT_LIMITS.nameLength + 1) }),
        400,
        'invalid_body',
      ],
      ['h as a string', () => ({ ...base(), h: 'yes' }), 400, 'invalid_body'],
      ['an engagement ping without sd', () => ping({ e: 100 }), 400, 'invalid_engagement'],
      ['an engagement ping without e', () => ping({ sd: 10 }), 400, 'invalid_engagement'],
      ['a negative scroll depth', () => ping({ sd: -1, e: 100 }), 400, 'invalid_engagement'],
      ['an absurd scroll depth', () => ping({ sd: 1e9, e: 100 }), 400, 'invalid_engagement'],
      ['sd as a string', () => ping({ sd: '50', e: 100 }), 400, 'invalid_body'],
      ['a negative engaged time', () => ping({ sd: 10, e: -5 }), 400, 'invalid_engagement'],
      [
        'an engaged time over a day',
        () => ping({ sd: 10, e: EVENT_LIMITS.maxEngagementTimeMs + 1 }),
        400,
        'invalid_engagement',
      ],
      ['e as an object', () => ping({ sd: 10, e: { ms: 1 } }), 400, 'invalid_body'],
      [
        'an oversized p string',
        () => ({ ...base(), p: JSON.stringify({ k: 'v'.repeat(EVENT_LIMITS.maxBodyBytes) }) }),
        413,
        'body_too_large',
      ],
    ];
    it.each(cases)('%s', async (_label, body, status, code) => {
      const res = await postEvent(ingest.url, body());
      expect(res.status).toBe(status);
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(json.error.code).toBe(code);
      expect(json.error.message.length).toBeGreaterThan(0);
    });

    it('stored none of them', async () => {
      await postEvent(ingest.url, { ...base(), n: 'after-hostile' });
      await eventually(() => ctx.countEvents(ingest.site.id, sql`name = 'after-hostile'`));
      expect(await ctx.countEvents(ingest.site.id, sql`pathname = '/hostile'`)).toBe(1);
    });
  });
});
