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
 * Hand-made traffic for a New York site (EST, UTC−5 in late November). Range queries run at
 * 2026-11-21 12:00 New York, so `7d` = Nov 15..21 (local, ending today) and its previous period
 * Nov 8..14; `day`, `all` and current visitors run at NOW, 2026-11-22 12:00.
 *
 *  session visitor  local time (NY)          events                              source   duration
 *  101     1        Nov 19 23:50 → 20 00:10  pv /home, pv /pricing, pv /signup   Google   1200 s
 *  201     2        Nov 20 10:00             pv /home                            Direct      0 s (bounce)
 *  202     2        Nov 20 15:00 → 15:01     pv /pricing, Signup @ /pricing      Twitter    60 s
 *  301     3        Nov 21 09:00             pv /blog/post-1 (Mobile, US)        Google      0 s (bounce)
 *  401     4        Nov 21 18:30 → 18:35     pv /home, /blog/post-1, /blog/post-2 Google   300 s (Mobile, US)
 *  501/801 5, 8     Nov 22 11:58 / 11:54     pv /                                today
 *  601     6        Nov 10 10:00             pv /home                            Google      0 s (bounce)
 *  701     7        Nov 12 10:00 → 10:02     pv /pricing, pv /home               Direct    120 s
 *  901/1001 9, 10   Nov 1 01:30 EDT / 01:30 EST (the repeated hour)
 */
const NOW = new Date('2026-11-22T17:00:00Z');
const RANGE_NOW = new Date('2026-11-21T17:00:00Z');

const nyEvents: FixtureEvent[] = [
  {
    at: '2026-11-20T04:50:00Z',
    visitor: 1,
    session: 101,
    page: '/home',
    referrerSource: 'Google',
    referrer: 'https://www.google.com/',
  },
  { at: '2026-11-20T05:05:00Z', visitor: 1, session: 101, page: '/pricing' },
  { at: '2026-11-20T05:10:00Z', visitor: 1, session: 101, page: '/signup' },
  { at: '2026-11-20T15:00:00Z', visitor: 2, session: 201, page: '/home' },
  { at: '2026-11-20T20:00:00Z', visitor: 2, session: 202, page: '/pricing', referrerSource: 'Twitter' },
  { at: '2026-11-20T20:01:00Z', visitor: 2, session: 202, page: '/pricing', name: 'Signup' },
  {
    at: '2026-11-21T14:00:00Z',
    visitor: 3,
    session: 301,
    page: '/blog/post-1',
    referrerSource: 'Google',
    device: 'Mobile',
    country: 'US',
  },
  {
    at: '2026-11-21T23:30:00Z',
    visitor: 4,
    session: 401,
    page: '/home',
    referrerSource: 'Google',
    device: 'Mobile',
    country: 'US',
  },
  {
    at: '2026-11-21T23:32:00Z',
    visitor: 4,
    session: 401,
    page: '/blog/post-1',
    device: 'Mobile',
    country: 'US',
  },
  {
    at: '2026-11-21T23:35:00Z',
    visitor: 4,
    session: 401,
    page: '/blog/post-2',
    device: 'Mobile',
    country: 'US',
  },
  { at: '2026-11-22T16:58:00Z', visitor: 5, session: 501, page: '/' },
  { at: '2026-11-22T16:54:00Z', visitor: 8, session: 801, page: '/' },
  { at: '2026-11-10T15:00:00Z', visitor: 6, session: 601, page: '/home', referrerSource: 'Google' },
  { at: '2026-11-12T15:00:00Z', visitor: 7, session: 701, page: '/pricing' },
  { at: '2026-11-12T15:02:00Z', visitor: 7, session: 701, page: '/home' },
  { at: '2026-11-01T05:30:00Z', visitor: 9, session: 901, page: '/' },
  { at: '2026-11-01T06:30:00Z', visitor: 10, session: 1001, page: '/' },
];

/** Another tenant with the SAME visitor/session ids and times: any leak changes every number below. */
const otherEvents: FixtureEvent[] = nyEvents.flatMap((e) => [
  { ...e, referrerSource: 'Google' },
  { ...e, visitor: e.visitor + 1000, page: '/leak', name: 'Signup' },
]);

describe('QueryEngine on real ClickHouse (New York site)', () => {
  const ctx = new TestContext();
  const engine = new QueryEngine(ctx.clickhouse);
  let site: AuthorizedSite;
  let empty: AuthorizedSite;

  const run = (request: Omit<QueryRequest, 'site_id'>, now = RANGE_NOW) =>
    engine.run(site, { site_id: site.domain, ...request }, { now });

  beforeAll(async () => {
    const row = await ctx.newSite({ timezone: 'America/New_York' });
    site = authorizeSite({ ...row, timezone: 'America/New_York' });
    const other = await ctx.newSite({ timezone: 'UTC' });
    const emptyRow = await ctx.newSite({ timezone: 'America/New_York' });
    empty = authorizeSite({ ...emptyRow, timezone: 'America/New_York' });
    await insertEvents(ctx.clickhouse, site.id, nyEvents);
    await insertEvents(ctx.clickhouse, other.id, otherEvents);
  });
  afterAll(() => ctx.close());

  it('computes aggregate metrics for 7d (Nov 15..21), with the previous period', async () => {
    const res = await run({
      metrics: [
        'visitors',
        'visits',
        'pageviews',
        'events',
        'bounce_rate',
        'visit_duration',
        'views_per_visit',
      ],
      date_range: '7d',
      include: { comparisons: { mode: 'previous_period' } },
    });
    // visitors 1,2,3,4; sessions 101,201,202,301,401; pageviews 3+1+1+1+3 = 9; events 9 + Signup = 10;
    // bounces 201 and 301 → 2/5 = 40 %; duration (1200+0+60+0+300)/5 = 312 s; 9/5 = 1.8 views per visit.
    expect(res.results).toHaveLength(1);
    expect(res.results[0]?.metrics).toEqual([4, 5, 9, 10, 40, 312, 1.8]);
    // Previous period Nov 8..14: sessions 601 (bounce) and 701 (2 pv, 120 s):
    // visitors 2, visits 2, pageviews 3, events 3, bounce 50 %, duration 60 s, 1.5 views per visit.
    expect(res.results[0]?.comparison?.metrics).toEqual([2, 2, 3, 3, 50, 60, 1.5]);
    // +100 %, +150 %, +200 %, +233 %, −10 points, +420 %, +20 %.
    expect(res.results[0]?.comparison?.change).toEqual([100, 150, 200, 233, -10, 420, 20]);
    expect(res.query.date_range).toEqual(['2026-11-15T00:00:00-05:00', '2026-11-21T23:59:59-05:00']);
    expect(res.meta.comparison_date_range).toEqual([
      '2026-11-08T00:00:00-05:00',
      '2026-11-14T23:59:59-05:00',
    ]);
  });

  it('buckets time:day in the site timezone; event metrics by event time, session metrics by session start', async () => {
    const events = await run({
      metrics: ['visitors', 'visits', 'pageviews'],
      date_range: '7d',
      dimensions: ['time:day'],
      include: { time_labels: true },
    });
    // 101 starts at 23:50 on Nov 19 (04:50 UTC on Nov 20) and continues after local midnight.
    expect(events.results.map((r) => [...r.dimensions, ...r.metrics])).toEqual([
      ['2026-11-19', 1, 1, 1],
      ['2026-11-20', 2, 3, 4], // 101's two later pageviews, 201, 202
      ['2026-11-21', 2, 2, 4],
    ]);
    expect(events.meta.time_labels).toEqual([
      '2026-11-15',
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
    ]);
    const sessions = await run({
      metrics: ['visits', 'pageviews', 'bounce_rate'],
      date_range: '7d',
      dimensions: ['time'],
    });
    expect(sessions.query.dimensions).toEqual(['time:day']);
    expect(sessions.results.map((r) => [...r.dimensions, ...r.metrics])).toEqual([
      ['2026-11-19', 1, 3, 0], // the whole of 101 belongs to the day it started
      ['2026-11-20', 2, 2, 50],
      ['2026-11-21', 2, 4, 50],
    ]);
  });

  it("buckets time:week from Monday, the first bucket starting on the range's first day", async () => {
    // Nov 1, 2026 is a Sunday: its week began on Monday Oct 26, before the range, so it is labelled Nov 1.
    const res = await run({
      metrics: ['visitors', 'visits', 'pageviews'],
      date_range: ['2026-11-01', '2026-11-21'],
      dimensions: ['time:week'],
      include: { time_labels: true },
    });
    expect(res.results.map((r) => [...r.dimensions, ...r.metrics])).toEqual([
      ['2026-11-01', 2, 2, 2], // 901 and 1001 in the repeated hour
      ['2026-11-09', 2, 2, 3], // 601, 701
      ['2026-11-16', 4, 5, 9], // 101 (from Thursday 23:50), 201, 202, 301, 401
    ]);
    expect(res.meta.time_labels).toEqual(['2026-11-01', '2026-11-02', '2026-11-09', '2026-11-16']);
  });

  it('compares time buckets by position in the previous period', async () => {
    const res = await run({
      metrics: ['visitors'],
      date_range: '7d',
      dimensions: ['time:day'],
      include: { comparisons: { mode: 'previous_period' } },
    });
    // Every day of the range is listed (Plausible), empty ones as zeros: Nov 15..18 ↔ Nov 8..11
    // (visitor 6 on Nov 10); Nov 19 ↔ Nov 12 (visitor 7); Nov 20 ↔ Nov 13 and Nov 21 ↔ Nov 14 (nothing).
    expect(res.results.map((r) => r.metrics[0])).toEqual([0, 0, 0, 0, 1, 2, 2]);
    expect(res.results.map((r) => r.comparison)).toEqual([
      { dimensions: ['2026-11-08'], metrics: [0], change: [0] },
      { dimensions: ['2026-11-09'], metrics: [0], change: [0] },
      { dimensions: ['2026-11-10'], metrics: [1], change: [-100] },
      { dimensions: ['2026-11-11'], metrics: [0], change: [0] },
      { dimensions: ['2026-11-12'], metrics: [1], change: [0] },
      { dimensions: ['2026-11-13'], metrics: [0], change: [100] },
      { dimensions: ['2026-11-14'], metrics: [0], change: [100] },
    ]);
  });

  it('derives entry and exit pages from whole sessions, across local midnight', async () => {
    const entry = await run({
      metrics: ['visitors', 'visits', 'bounce_rate'],
      date_range: '7d',
      dimensions: ['visit:entry_page'],
    });
    // /home: 101, 201, 401 (visitors 1, 2, 4; only 201 bounced → 33 %); /blog/post-1: 301; /pricing: 202.
    expect(entry.results.map((r) => [...r.dimensions, ...r.metrics])).toEqual([
      ['/home', 3, 3, 33],
      ['/blog/post-1', 1, 1, 100],
      ['/pricing', 1, 1, 0],
    ]);
    const exit = await run({ metrics: ['visits'], date_range: '7d', dimensions: ['visit:exit_page'] });
    // The last PAGEVIEW counts: 202 ends with a Signup event on /pricing, so its exit page is /pricing.
    expect(exit.results.map((r) => [...r.dimensions, ...r.metrics])).toEqual([
      ['/blog/post-1', 1],
      ['/blog/post-2', 1],
      ['/home', 1],
      ['/pricing', 1],
      ['/signup', 1],
    ]);
    // A one-day range sees only the part of 101 after midnight, so there it enters on /pricing.
    const nov20 = await run({
      metrics: ['visitors'],
      date_range: ['2026-11-20', '2026-11-20'],
      dimensions: ['visit:entry_page'],
    });
    expect(nov20.results.map((r) => [...r.dimensions, ...r.metrics])).toEqual([
      ['/pricing', 2],
      ['/home', 1],
    ]);
  });

  it('buckets hours in local time through the repeated autumn hour', async () => {
    const res = await run({
      metrics: ['visitors'],
      date_range: ['2026-11-01', '2026-11-01'],
      dimensions: ['time:hour'],
      include: { time_labels: true },
    });
    // 05:30 UTC is 01:30 EDT and 06:30 UTC is 01:30 EST: one local hour, two visitors.
    expect(res.results.map((r) => [...r.dimensions, ...r.metrics])).toEqual([['2026-11-01 01:00:00', 2]]);
    expect(res.meta.time_labels).toHaveLength(24);
  });

  it('narrows numbers with filters', async () => {
    const metricsOf = async (request: Omit<QueryRequest, 'site_id'>) =>
      (await run(request)).results[0]?.metrics;
    // Events on /pricing: 101's second pageview, 202's pageview and its Signup.
    expect(
      await metricsOf({
        metrics: ['visitors', 'pageviews', 'events'],
        date_range: '7d',
        filters: [['is', 'event:page', ['/pricing']]],
      }),
    ).toEqual([2, 2, 3]);
    // Google sessions 101, 301, 401: one bounce of three.
    expect(
      await metricsOf({
        metrics: ['visitors', 'visits', 'bounce_rate'],
        date_range: '7d',
        filters: [['is', 'visit:source', ['Google']]],
      }),
    ).toEqual([3, 3, 33]);
    expect(
      await metricsOf({
        metrics: ['visits'],
        date_range: '7d',
        filters: [['is', 'visit:source', ['Direct / None']]],
      }),
    ).toEqual([1]);
    expect(
      await metricsOf({
        metrics: ['visitors', 'visits'],
        date_range: '7d',
        filters: [['is_not', 'visit:source', ['Google']]],
      }),
    ).toEqual([1, 2]);
    expect(
      await metricsOf({
        metrics: ['visitors'],
        date_range: '7d',
        filters: [
          [
            'and',
            [
              ['is', 'visit:source', ['Google']],
              ['is', 'visit:device', ['Mobile']],
            ],
          ],
        ],
      }),
    ).toEqual([2]);
    // Wildcard: /blog/* — 301's one pageview and 401's two.
    expect(
      await metricsOf({
        metrics: ['pageviews'],
        date_range: '7d',
        filters: [['is', 'event:page', ['/blog/*']]],
      }),
    ).toEqual([3]);
    expect(
      await metricsOf({
        metrics: ['visitors'],
        date_range: '7d',
        filters: [['contains_not', 'event:page', ['blog']]],
      }),
    ).toEqual([3]);
  });

  it('combines filters with "or" and "not", on sessions and on events', async () => {
    const metricsOf = async (filters: QueryRequest['filters'], metrics: QueryRequest['metrics']) =>
      (await run({ metrics, date_range: '7d', filters })).results[0]?.metrics;
    // Sessions from Twitter or on a phone: 202, 301, 401 (visitors 2, 3, 4).
    expect(
      await metricsOf(
        [
          [
            'or',
            [
              ['is', 'visit:source', ['Twitter']],
              ['is', 'visit:device', ['Mobile']],
            ],
          ],
        ],
        ['visitors', 'visits'],
      ),
    ).toEqual([3, 3]);
    // Not from Google: 201 (Direct) and 202 (Twitter), both visitor 2.
    expect(await metricsOf([['not', ['is', 'visit:source', ['Google']]]], ['visitors', 'visits'])).toEqual([
      1, 2,
    ]);
    // Events on /signup or a page containing "post-2": 101's third pageview and 401's last.
    expect(
      await metricsOf(
        [
          [
            'or',
            [
              ['is', 'event:page', ['/signup']],
              ['contains', 'event:page', ['post-2']],
            ],
          ],
        ],
        ['visitors', 'pageviews'],
      ),
    ).toEqual([2, 2]);
    // Events on neither /home nor /pricing: /signup (1), /blog/post-1 (3 and 4), /blog/post-2 (4);
    // visitor 2's Signup happened on /pricing, so it is out.
    expect(
      await metricsOf(
        [
          [
            'not',
            [
              'or',
              [
                ['is', 'event:page', ['/home']],
                ['is', 'event:page', ['/pricing']],
              ],
            ],
          ],
        ],
        ['visitors', 'pageviews', 'events'],
      ),
    ).toEqual([3, 4, 4]);
    // A visit-level "or" next to an event filter: Google-or-Twitter sessions with a /pricing event.
    expect(
      await metricsOf(
        [
          ['is', 'event:page', ['/pricing']],
          [
            'or',
            [
              ['is', 'visit:source', ['Google']],
              ['is', 'visit:source', ['Twitter']],
            ],
          ],
        ],
        ['visitors', 'visits'],
      ),
    ).toEqual([2, 2]);
  });

  it('keeps sessions that contain a matching event, counting only matching pageviews', async () => {
    const res = await run({
      metrics: ['visitors', 'pageviews', 'visit_duration'],
      date_range: '7d',
      dimensions: ['visit:entry_page'],
      filters: [['contains', 'event:page', ['blog']]],
    });
    // 301 (enters on /blog/post-1, 1 blog pageview, 0 s) and 401 (enters on /home, 2 blog pageviews, 300 s).
    expect(res.results.map((r) => [...r.dimensions, ...r.metrics])).toEqual([
      ['/blog/post-1', 1, 1, 0],
      ['/home', 1, 2, 300],
    ]);
  });

  it('computes conversion rate against all visitors, and per source', async () => {
    const total = await run({
      metrics: ['visitors', 'conversion_rate'],
      date_range: '7d',
      filters: [['is', 'event:goal', ['Signup']]],
    });
    // Visitor 2 of 4 signed up.
    expect(total.results[0]?.metrics).toEqual([1, 25]);
    const bySource = await run({
      metrics: ['visitors', 'conversion_rate', 'group_conversion_rate'],
      date_range: '7d',
      dimensions: ['visit:source'],
      filters: [['is', 'event:name', ['Signup']]],
    });
    // Only Twitter (session 202) converted: 1 of all 4 visitors (conversion_rate, Plausible's
    // definition), and 1 of Twitter's 1 visitor (group_conversion_rate).
    expect(bySource.results.map((r) => [...r.dimensions, ...r.metrics])).toEqual([['Twitter', 1, 25, 100]]);
  });

  it('gives each goal of an event:name breakdown its share of all visitors', async () => {
    const res = await run({
      metrics: ['visitors', 'events', 'conversion_rate', 'group_conversion_rate'],
      date_range: '7d',
      dimensions: ['event:name'],
      filters: [['is_not', 'event:name', ['pageview']]],
    });
    // One custom event in the period: visitor 2's Signup; 4 visitors in all.
    expect(res.results.map((r) => [...r.dimensions, ...r.metrics])).toEqual([['Signup', 1, 1, 25, 25]]);
    // Per day, the rate is of that day's visitors: Nov 20 had visitors 1 and 2 (events).
    const daily = await run({
      metrics: ['conversion_rate'],
      date_range: '7d',
      dimensions: ['time:day'],
      filters: [['is', 'event:goal', ['Signup']]],
    });
    expect(daily.results.map((r) => [...r.dimensions, ...r.metrics])).toEqual([['2026-11-20', 50]]);
  });

  it('orders, paginates and counts rows', async () => {
    const res = await run({
      metrics: ['visitors'],
      date_range: '7d',
      dimensions: ['visit:entry_page'],
      order_by: [
        ['visitors', 'asc'],
        ['visit:entry_page', 'desc'],
      ],
      pagination: { limit: 2, offset: 1 },
      include: { total_rows: true },
    });
    // Full order: /pricing 1, /blog/post-1 1, /home 3 → offset 1, limit 2.
    expect(res.results.map((r) => r.dimensions[0])).toEqual(['/blog/post-1', '/home']);
    expect(res.meta.total_rows).toBe(3);
  });

  it('compares breakdown rows by their dimensions', async () => {
    const res = await run({
      metrics: ['visitors'],
      date_range: '7d',
      dimensions: ['visit:source'],
      include: { comparisons: { mode: 'previous_period' } },
    });
    // Now: Google 3 (1, 3, 4), Direct 1, Twitter 1. Before: Google 1 (6), Direct 1 (7).
    expect(
      res.results.map((r) => [
        r.dimensions[0],
        r.metrics[0],
        r.comparison?.metrics[0],
        r.comparison?.change[0],
      ]),
    ).toEqual([
      ['Google', 3, 1, 200],
      ['Direct / None', 1, 1, 0],
      ['Twitter', 1, 0, 100],
    ]);
  });

  it('resolves day and all, counts current visitors and reports site status', async () => {
    expect((await run({ metrics: ['visitors'], date_range: 'day' }, NOW)).results[0]?.metrics).toEqual([2]);
    const all = await run({ metrics: ['visitors'], date_range: 'all' }, NOW);
    expect(all.query.date_range[0]).toBe('2026-11-01T00:00:00-04:00'); // the first event's local day (still EDT)
    expect(all.results[0]?.metrics).toEqual([10]);
    // Visitor 5 was seen 2 minutes ago, visitor 8 six minutes ago.
    expect(await engine.currentVisitors(site, { now: NOW })).toBe(1);
    expect(await engine.siteStatus(site)).toMatchObject({
      hasEvents: true,
      lastEventAt: new Date('2026-11-22T16:58:00Z'),
    });
    expect(await engine.siteStatus(empty)).toMatchObject({ hasEvents: false, lastEventAt: null });
  });

  it('sees nothing of other sites', async () => {
    const res = await engine.run(
      empty,
      {
        site_id: empty.domain,
        metrics: ['visitors', 'visits', 'pageviews', 'events', 'bounce_rate'],
        date_range: 'all',
      },
      { now: NOW },
    );
    expect(res.results[0]?.metrics).toEqual([0, 0, 0, 0, 0]);
    const pages = await run({ metrics: ['visitors'], date_range: '30d', dimensions: ['event:page'] });
    expect(pages.results.map((r) => r.dimensions[0])).not.toContain('/leak');
    expect(await engine.currentVisitors(empty, { now: NOW })).toBe(0);
  });

  it('rejects invalid queries with the field at fault', async () => {
    await expect(run({ metrics: ['visitors', 'sessions' as never], date_range: '7d' })).rejects.toMatchObject(
      {
        name: 'QueryValidationError',
        field: 'metrics[1]',
      },
    );
    await expect(run({ metrics: ['conversion_rate'], date_range: '7d' })).rejects.toBeInstanceOf(
      QueryValidationError,
    );
    await expect(
      run({ metrics: ['visitors'], date_range: '7d', filters: [['is', 'visit:source', 'Google' as never]] }),
    ).rejects.toMatchObject({ field: 'filters[0][2]' });
  });
});

describe('QueryEngine on real ClickHouse (Asia/Kolkata site, UTC+05:30)', () => {
  const ctx = new TestContext();
  const engine = new QueryEngine(ctx.clickhouse);
  let site: AuthorizedSite;

  /**
   *  session visitor  UTC                 IST (local)
   *  1101    11       Nov 20 18:20, 18:40  Nov 20 23:50 /a → Nov 21 00:10 /b  (1200 s)
   *  1201    12       Nov 20 18:35         Nov 21 00:05 /c                     (bounce)
   *  1301    13       Nov 21 04:29, 04:31  Nov 21 09:59 /d → 10:01 /e          (120 s)
   * In UTC all of 1101 and 1201 fall on Nov 20, and 1301's two events in the same hour.
   */
  beforeAll(async () => {
    const row = await ctx.newSite({ timezone: 'Asia/Kolkata' });
    site = authorizeSite({ ...row, timezone: 'Asia/Kolkata' });
    await insertEvents(ctx.clickhouse, site.id, [
      { at: '2026-11-20T18:20:00Z', visitor: 11, session: 1101, page: '/a' },
      { at: '2026-11-20T18:40:00Z', visitor: 11, session: 1101, page: '/b' },
      { at: '2026-11-20T18:35:00Z', visitor: 12, session: 1201, page: '/c' },
      { at: '2026-11-21T04:29:00Z', visitor: 13, session: 1301, page: '/d' },
      { at: '2026-11-21T04:31:00Z', visitor: 13, session: 1301, page: '/e' },
    ]);
  });
  afterAll(() => ctx.close());

  const run = (request: Omit<QueryRequest, 'site_id'>) =>
    engine.run(site, { site_id: site.domain, ...request }, { now: new Date('2026-11-25T00:00:00Z') });

  it('splits days at local midnight', async () => {
    const visitors = await run({
      metrics: ['visitors'],
      date_range: ['2026-11-20', '2026-11-21'],
      dimensions: ['time:day'],
    });
    expect(visitors.results.map((r) => [...r.dimensions, ...r.metrics])).toEqual([
      ['2026-11-20', 1],
      ['2026-11-21', 3],
    ]);
    const sessions = await run({
      metrics: ['visits', 'visit_duration', 'bounce_rate'],
      date_range: ['2026-11-20', '2026-11-21'],
      dimensions: ['time:day'],
    });
    // 1101 started on Nov 20 (IST); 1201 and 1301 on Nov 21: durations 0 and 120 → 60 s, one bounce of two.
    expect(sessions.results.map((r) => [...r.dimensions, ...r.metrics])).toEqual([
      ['2026-11-20', 1, 1200, 0],
      ['2026-11-21', 2, 60, 50],
    ]);
    const exit = await run({
      metrics: ['visits'],
      date_range: ['2026-11-20', '2026-11-21'],
      dimensions: ['visit:exit_page'],
    });
    expect(exit.results.map((r) => [...r.dimensions, ...r.metrics])).toEqual([
      ['/b', 1],
      ['/c', 1],
      ['/e', 1],
    ]);
  });

  it('buckets hours on the half hour of UTC', async () => {
    const res = await run({
      metrics: ['visitors', 'pageviews'],
      date_range: ['2026-11-21', '2026-11-21'],
      dimensions: ['time:hour'],
      include: { time_labels: true },
    });
    expect(res.results.map((r) => [...r.dimensions, ...r.metrics])).toEqual([
      ['2026-11-21 00:00:00', 2, 2], // 18:35 and 18:40 UTC
      ['2026-11-21 09:00:00', 1, 1], // 04:29 UTC
      ['2026-11-21 10:00:00', 1, 1], // 04:31 UTC
    ]);
    expect(res.meta.time_labels?.[0]).toBe('2026-11-21 00:00:00');
    expect(res.query.date_range).toEqual(['2026-11-21T00:00:00+05:30', '2026-11-21T23:59:59+05:30']);
  });
});
