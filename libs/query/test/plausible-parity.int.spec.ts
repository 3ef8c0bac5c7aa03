import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestContext } from '@sightline/testing';
import {
  authorizeSite,
  QueryEngine,
  QueryValidationError,
  type AuthorizedSite,
  type QueryRequest,
} from '../src';
import { insertEvents, type FixtureEvent } from './event-fixtures';

/**
 * The differences from Plausible's Stats API v2 listed in issue #12 item 8 (a)–(e), and custom
 * properties and revenue (item 2), each on a hand-computed fixture in its own UTC site. Day
 * 2026-03-10; the range is that day unless a test says otherwise.
 */
const DAY: QueryRequest['date_range'] = ['2026-03-10', '2026-03-10'];

describe('Plausible parity on real ClickHouse', () => {
  const ctx = new TestContext();
  const engine = new QueryEngine(ctx.clickhouse, { rollups: false, sampleAboveRows: null });

  async function siteWith(events: FixtureEvent[], currency?: string): Promise<AuthorizedSite> {
    const row = await ctx.newSite({ timezone: 'UTC' });
    const site = authorizeSite({ ...row, timezone: 'UTC', ...(currency ? { currency } : {}) });
    await insertEvents(ctx.clickhouse, site.id, events);
    return site;
  }
  const run = (site: AuthorizedSite, request: Omit<QueryRequest, 'site_id'>) =>
    engine.run(site, { site_id: site.domain, ...request }, { now: new Date('2026-03-20T12:00:00Z') });
  const rows = async (site: AuthorizedSite, request: Omit<QueryRequest, 'site_id'>) =>
    (await run(site, request)).results.map((r) => [...r.dimensions, ...r.metrics]);

  afterAll(() => ctx.close());

  it('(a) bounce_rate under an event:page filter counts only sessions that entered on the page', async () => {
    // Session 1: /a → /b (not a bounce, entered on /a). Session 2: /b only (bounce).
    // Session 3: /b → /a, 120 s (entered on /b, not a bounce).
    const site = await siteWith([
      { at: '2026-03-10T10:00:00Z', visitor: 1, session: 1, page: '/a' },
      { at: '2026-03-10T10:01:00Z', visitor: 1, session: 1, page: '/b' },
      { at: '2026-03-10T11:00:00Z', visitor: 2, session: 2, page: '/b' },
      { at: '2026-03-10T12:00:00Z', visitor: 3, session: 3, page: '/b' },
      { at: '2026-03-10T12:02:00Z', visitor: 3, session: 3, page: '/a' },
    ]);
    // All three sessions touched /b: visitors 3, duration (60 + 0 + 120) / 3 = 60 s.
    // Entered on /b: sessions 2 and 3, one bounce → 50 % (all three would give 33 %).
    expect(
      await rows(site, {
        metrics: ['visitors', 'bounce_rate', 'visit_duration'],
        date_range: DAY,
        filters: [['is', 'event:page', ['/b']]],
      }),
    ).toEqual([[3, 50, 60]]);
    // A wildcard and a visit breakdown follow the same rule: entered on /a only session 1 → 0 %.
    expect(
      await rows(site, {
        metrics: ['visits', 'bounce_rate'],
        date_range: DAY,
        dimensions: ['visit:device'],
        filters: [['is', 'event:page', ['/a*']]],
      }),
    ).toEqual([['Desktop', 2, 0]]);
  });

  it('(b) an event:hostname filter credits acquisition and entry pages to the entry hostname, exit pages to the exit hostname', async () => {
    const site = await siteWith([
      // Landed on two.example.com from an ad, went on to one.example.com (Plausible's own fixture).
      {
        at: '2026-03-10T00:00:00Z',
        visitor: 1,
        session: 1,
        hostname: 'two.example.com',
        page: '/ad',
        utmSource: 'ad',
        referrerSource: 'Google',
      },
      { at: '2026-03-10T00:15:00Z', visitor: 1, session: 1, hostname: 'one.example.com', page: '/one' },
      // Landed on one.example.com from a newsletter and left from two.example.com.
      {
        at: '2026-03-10T01:00:00Z',
        visitor: 2,
        session: 2,
        hostname: 'one.example.com',
        page: '/news',
        utmSource: 'news',
        referrerSource: 'Newsletter',
      },
      { at: '2026-03-10T01:05:00Z', visitor: 2, session: 2, hostname: 'two.example.com', page: '/bye' },
    ]);
    const onOne: QueryRequest['filters'] = [['is', 'event:hostname', ['one.example.com']]];
    expect(
      await rows(site, {
        metrics: ['visitors'],
        date_range: DAY,
        dimensions: ['visit:utm_source'],
        filters: onOne,
      }),
    ).toEqual([['news', 1]]);
    expect(
      await rows(site, {
        metrics: ['visitors'],
        date_range: DAY,
        dimensions: ['visit:source'],
        filters: onOne,
      }),
    ).toEqual([['Newsletter', 1]]);
    expect(
      await rows(site, {
        metrics: ['visitors'],
        date_range: DAY,
        dimensions: ['visit:entry_page'],
        filters: onOne,
      }),
    ).toEqual([['/news', 1]]);
    // Session 1 left from one.example.com (/one); session 2 left from two.example.com.
    expect(
      await rows(site, {
        metrics: ['visitors'],
        date_range: DAY,
        dimensions: ['visit:exit_page'],
        filters: onOne,
      }),
    ).toEqual([['/one', 1]]);
    // Without a breakdown both sessions touched the hostname.
    expect(await rows(site, { metrics: ['visitors'], date_range: DAY, filters: onOne })).toEqual([[2]]);
  });

  it('(c) every session attribute comes from the first event; a pageview precedes a custom event of the same second', async () => {
    // The landing pageview and a custom event in the same second. Within a data part ClickHouse
    // stores 'Signup' before 'pageview' (sort key has name), so argMin(…, timestamp) / any() read
    // the custom event's values.
    const site = await siteWith([
      {
        at: '2026-03-10T09:00:00Z',
        visitor: 1,
        session: 1,
        page: '/landing',
        referrerSource: 'Google',
        country: 'DE',
        device: 'Desktop',
        browser: 'Firefox',
        os: 'Linux',
        eventId: 900,
      },
      {
        at: '2026-03-10T09:00:00Z',
        visitor: 1,
        session: 1,
        name: 'Signup',
        page: '/signup',
        referrerSource: '',
        country: 'US',
        device: 'Mobile',
        browser: 'Safari',
        os: 'iOS',
        eventId: 100,
      },
      {
        at: '2026-03-10T09:00:30Z',
        visitor: 1,
        session: 1,
        page: '/next',
        country: 'US',
        device: 'Mobile',
        browser: 'Safari',
        os: 'iOS',
      },
      // Two pageviews in one second: the event id decides, the same way on every run.
      { at: '2026-03-10T10:00:00Z', visitor: 2, session: 2, page: '/second-by-id', eventId: 2 },
      { at: '2026-03-10T10:00:00Z', visitor: 2, session: 2, page: '/first-by-id', eventId: 1 },
    ]);
    const breakdown = async (
      dimension:
        'visit:source' | 'visit:entry_page' | 'visit:country' | 'visit:device' | 'visit:browser' | 'visit:os',
    ) =>
      rows(site, {
        metrics: ['visitors'],
        date_range: DAY,
        dimensions: [dimension],
        filters: [['is', 'visit:entry_page', ['/landing']]],
      });
    expect(await breakdown('visit:source')).toEqual([['Google', 1]]);
    expect(await breakdown('visit:entry_page')).toEqual([['/landing', 1]]);
    expect(await breakdown('visit:country')).toEqual([['DE', 1]]);
    expect(await breakdown('visit:device')).toEqual([['Desktop', 1]]);
    expect(await breakdown('visit:browser')).toEqual([['Firefox', 1]]);
    expect(await breakdown('visit:os')).toEqual([['Linux', 1]]);
    expect(
      await rows(site, {
        metrics: ['visitors'],
        date_range: DAY,
        dimensions: ['visit:entry_page'],
        filters: [['is', 'visit:source', ['Direct / None']]],
      }),
    ).toEqual([['/first-by-id', 1]]);
  });

  it('(d) a time dimension plus another orders by time, then the first metric descending', async () => {
    const site = await siteWith([
      { at: '2026-03-10T09:00:00Z', visitor: 1, session: 1, referrerSource: 'Bing' },
      { at: '2026-03-10T09:10:00Z', visitor: 2, session: 2, referrerSource: 'Twitter' },
      { at: '2026-03-10T09:20:00Z', visitor: 3, session: 3, referrerSource: 'Twitter' },
      { at: '2026-03-11T09:00:00Z', visitor: 4, session: 4, referrerSource: 'Bing' },
      { at: '2026-03-11T09:10:00Z', visitor: 5, session: 5, referrerSource: 'Bing' },
      { at: '2026-03-11T09:20:00Z', visitor: 6, session: 6, referrerSource: 'Twitter' },
    ]);
    const res = await run(site, {
      metrics: ['visitors'],
      date_range: ['2026-03-10', '2026-03-11'],
      dimensions: ['time:day', 'visit:source'],
    });
    expect(res.results.map((r) => [...r.dimensions, ...r.metrics])).toEqual([
      ['2026-03-10', 'Twitter', 2],
      ['2026-03-10', 'Bing', 1],
      ['2026-03-11', 'Bing', 2],
      ['2026-03-11', 'Twitter', 1],
    ]);
    expect(res.query.order_by).toEqual([
      ['time:day', 'asc'],
      ['visitors', 'desc'],
      ['visit:source', 'asc'],
    ]);
  });

  it("(e) a compared time series returns every bucket, the main period's empty ones as zeros (Plausible's own fixture)", async () => {
    // Plausible query_comparisons_test "timeseries comparison".
    const site = await siteWith([
      { at: '2021-01-01T00:00:00Z', visitor: 1, session: 1 },
      { at: '2021-01-01T00:25:00Z', visitor: 1, session: 1 },
      { at: '2021-01-06T00:00:00Z', visitor: 2, session: 2 },
      { at: '2021-01-07T00:00:00Z', visitor: 3, session: 3 },
      { at: '2021-01-08T00:00:00Z', visitor: 4, session: 4 },
    ]);
    const res = await run(site, {
      metrics: ['pageviews'],
      date_range: ['2021-01-07', '2021-01-13'],
      dimensions: ['time:day'],
      include: { comparisons: { mode: 'previous_period' }, total_rows: true },
    });
    expect(
      res.results.map((r) => [
        r.dimensions[0],
        r.metrics[0],
        r.comparison?.dimensions[0],
        r.comparison?.metrics[0],
        r.comparison?.change[0],
      ]),
    ).toEqual([
      ['2021-01-07', 1, '2020-12-31', 0, 100],
      ['2021-01-08', 1, '2021-01-01', 2, -50],
      ['2021-01-09', 0, '2021-01-02', 0, 0],
      ['2021-01-10', 0, '2021-01-03', 0, 0],
      ['2021-01-11', 0, '2021-01-04', 0, 0],
      ['2021-01-12', 0, '2021-01-05', 0, 0],
      ['2021-01-13', 0, '2021-01-06', 1, -100],
    ]);
    expect(res.meta.total_rows).toBe(7);
    // Pagination and order apply to the filled series.
    const page = await run(site, {
      metrics: ['pageviews'],
      date_range: ['2021-01-07', '2021-01-13'],
      dimensions: ['time:day'],
      order_by: [['time:day', 'desc']],
      pagination: { limit: 2, offset: 0 },
      include: { comparisons: { mode: 'previous_period' } },
    });
    expect(page.results.map((r) => [r.dimensions[0], r.metrics[0], r.comparison?.metrics[0]])).toEqual([
      ['2021-01-13', 0, 1],
      ['2021-01-12', 0, 0],
    ]);
  });

  describe('custom properties (event:props:<key>)', () => {
    let site: AuthorizedSite;
    beforeAll(async () => {
      site = await siteWith([
        { at: '2026-03-10T09:00:00Z', visitor: 1, session: 1 },
        {
          at: '2026-03-10T09:01:00Z',
          visitor: 1,
          session: 1,
          name: 'Signup',
          props: { plan: 'pro', source: 'hero' },
        },
        { at: '2026-03-10T10:00:00Z', visitor: 2, session: 2 },
        { at: '2026-03-10T10:01:00Z', visitor: 2, session: 2, name: 'Signup', props: { plan: 'free' } },
        { at: '2026-03-10T10:02:00Z', visitor: 2, session: 2, name: 'Signup', props: { plan: 'pro' } },
        { at: '2026-03-10T11:00:00Z', visitor: 3, session: 3, name: 'Signup' },
        {
          at: '2026-03-10T12:00:00Z',
          visitor: 4,
          session: 4,
          name: 'File Download',
          props: { file: 'report.pdf', plan: 'pro-plus' },
        },
      ]);
    });

    it('breaks down by a property, (none) for events without it', async () => {
      expect(
        await rows(site, {
          metrics: ['visitors', 'events'],
          date_range: DAY,
          dimensions: ['event:props:plan'],
          filters: [['is', 'event:goal', ['Signup']]],
        }),
      ).toEqual([
        ['pro', 2, 2],
        ['(none)', 1, 1],
        ['free', 1, 1],
      ]);
      // Without a goal filter pageviews have no plan either.
      expect(
        await rows(site, { metrics: ['events'], date_range: DAY, dimensions: ['event:props:plan'] }),
      ).toEqual([
        ['(none)', 3],
        ['pro', 2],
        ['free', 1],
        ['pro-plus', 1],
      ]);
      // Conversion rate per property value divides by all 4 visitors.
      expect(
        await rows(site, {
          metrics: ['visitors', 'conversion_rate'],
          date_range: DAY,
          dimensions: ['event:props:plan'],
          filters: [['is', 'event:goal', ['Signup']]],
        }),
      ).toEqual([
        ['pro', 2, 50],
        ['(none)', 1, 25],
        ['free', 1, 25],
      ]);
    });

    it('filters with is, is_not, contains, matches and (none)', async () => {
      const count = async (filter: NonNullable<QueryRequest['filters']>[number]) =>
        (await rows(site, { metrics: ['visitors', 'events'], date_range: DAY, filters: [filter] }))[0];
      expect(await count(['is', 'event:props:plan', ['pro']])).toEqual([2, 2]);
      expect(await count(['is', 'event:props:plan', ['pro', 'free']])).toEqual([2, 3]);
      expect(await count(['contains', 'event:props:plan', ['pro']])).toEqual([3, 3]);
      expect(await count(['matches', 'event:props:plan', ['^pro-']])).toEqual([1, 1]);
      // Negated property filters keep only events that carry the key (Plausible): plan "free".
      expect(await count(['matches_not', 'event:props:plan', ['^pro']])).toEqual([1, 1]);
      expect(await count(['is_not', 'event:props:plan', ['pro']])).toEqual([2, 2]);
      // (none): events without the key — 3 pageviews and visitor 3's Signup.
      expect(await count(['is', 'event:props:plan', ['(none)']])).toEqual([3, 3]);
      expect(await count(['is_not', 'event:props:plan', ['(none)']])).toEqual([3, 4]);
      expect(await count(['is', 'event:props:file', ['report.pdf']])).toEqual([1, 1]);
      // A property filter with a visit breakdown keeps sessions with a matching event.
      expect(
        await rows(site, {
          metrics: ['visits'],
          date_range: DAY,
          dimensions: ['visit:entry_page'],
          filters: [['is', 'event:props:source', ['hero']]],
        }),
      ).toEqual([['/', 1]]);
    });

    it("lists a goal's property keys, most visitors first", async () => {
      const keys = (filters: QueryRequest['filters']) =>
        engine.propertyKeys(
          site,
          { site_id: site.domain, date_range: DAY, filters },
          { now: new Date('2026-03-20T12:00:00Z') },
        );
      // Signup: plan on visitors 1 and 2, source on visitor 1.
      expect(await keys([['is', 'event:goal', ['Signup']]])).toEqual([
        { key: 'plan', visitors: 2 },
        { key: 'source', visitors: 1 },
      ]);
      expect(await keys([])).toEqual([
        { key: 'plan', visitors: 3 },
        { key: 'file', visitors: 1 },
        { key: 'source', visitors: 1 },
      ]);
      expect(await keys([['is', 'event:goal', ['Nothing']]])).toEqual([]);
      await expect(keys([['is', 'event:goal', []]])).rejects.toBeInstanceOf(QueryValidationError);
    });

    it('refuses bad keys and patterns with the field at fault', async () => {
      const refused = async (request: Omit<QueryRequest, 'site_id'>) => {
        const e = await run(site, request).catch((err: unknown) => err);
        expect(e).toBeInstanceOf(QueryValidationError);
        return (e as QueryValidationError).field;
      };
      expect(await refused({ metrics: ['visitors'], date_range: DAY, dimensions: ['event:props:'] })).toBe(
        'dimensions[0]',
      );
      expect(
        await refused({
          metrics: ['visitors'],
          date_range: DAY,
          dimensions: [`event:props:${'k'.repeat(301)}`],
        }),
      ).toBe('dimensions[0]');
      expect(
        await refused({ metrics: ['visitors'], date_range: DAY, dimensions: ['event:props:a\u0000b'] }),
      ).toBe('dimensions[0]');
      expect(
        await refused({ metrics: ['visitors'], date_range: DAY, filters: [['is', 'event:props:', ['x']]] }),
      ).toBe('filters[0][1]');
      expect(
        await refused({
          metrics: ['visitors'],
          date_range: DAY,
          filters: [['matches', 'event:props:plan', ['(?=x)']]],
        }),
      ).toBe('filters[0][2][0]');
      expect(
        await refused({
          metrics: ['visitors'],
          date_range: DAY,
          filters: [['matches', 'event:page', ['([a-']]],
        }),
      ).toBe('filters[0][2][0]');
      expect(
        await refused({ metrics: ['bounce_rate'], date_range: DAY, dimensions: ['event:props:plan'] }),
      ).toBe('metrics[0]');
      // A key with quotes and backslashes is only a value: it runs and finds nothing.
      expect(
        await rows(site, {
          metrics: ['events'],
          date_range: DAY,
          dimensions: ["event:props:x') OR 1=1 --\\"],
        }),
      ).toEqual([['(none)', 7]]);
    });
  });

  describe('revenue goals', () => {
    let site: AuthorizedSite;
    beforeAll(async () => {
      site = await siteWith(
        [
          { at: '2026-03-10T09:00:00Z', visitor: 1, session: 1, referrerSource: 'Google' },
          {
            at: '2026-03-10T09:05:00Z',
            visitor: 1,
            session: 1,
            name: 'Purchase',
            revenue: { amount: 10.5, currency: 'EUR' },
          },
          { at: '2026-03-10T10:00:00Z', visitor: 2, session: 2, referrerSource: 'Twitter' },
          {
            at: '2026-03-10T10:05:00Z',
            visitor: 2,
            session: 2,
            name: 'Purchase',
            revenue: { amount: 20, currency: 'EUR' },
          },
          {
            at: '2026-03-10T10:06:00Z',
            visitor: 2,
            session: 2,
            name: 'Purchase',
            revenue: { amount: 30.25, currency: 'EUR' },
          },
          // Another currency is not converted (no exchange rates): left out of the sums.
          {
            at: '2026-03-10T11:00:00Z',
            visitor: 3,
            session: 3,
            name: 'Purchase',
            revenue: { amount: 99, currency: 'USD' },
          },
          { at: '2026-03-10T12:00:00Z', visitor: 4, session: 4, name: 'Signup' },
        ],
        'EUR',
      );
    });

    it('sums and averages revenue of the goal in the site currency', async () => {
      // 10.5 + 20 + 30.25 = 60.75 over 3 purchases = 20.25.
      expect(
        await rows(site, {
          metrics: ['visitors', 'total_revenue', 'average_revenue'],
          date_range: DAY,
          filters: [['is', 'event:goal', ['Purchase']]],
        }),
      ).toEqual([[3, 60.75, 20.25]]);
      expect(
        await rows(site, {
          metrics: ['visitors', 'total_revenue', 'average_revenue'],
          date_range: DAY,
          dimensions: ['event:name'],
        }),
      ).toEqual([
        ['Purchase', 3, 60.75, 20.25],
        ['pageview', 2, 0, 0],
        ['Signup', 1, 0, 0],
      ]);
      // Per source (sessions): Twitter 50.25 over 2, Google 10.5.
      expect(
        await rows(site, {
          metrics: ['visitors', 'total_revenue', 'average_revenue', 'conversion_rate'],
          date_range: DAY,
          dimensions: ['visit:source'],
          filters: [['is', 'event:goal', ['Purchase']]],
        }),
      ).toEqual([
        ['Direct / None', 1, 0, 0, 25],
        ['Google', 1, 10.5, 10.5, 25],
        ['Twitter', 1, 50.25, 25.13, 25],
      ]);
    });

    it('needs a goal', async () => {
      const e = await run(site, { metrics: ['total_revenue'], date_range: DAY }).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(QueryValidationError);
    });
  });
});
