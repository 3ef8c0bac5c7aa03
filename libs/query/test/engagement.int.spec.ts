import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@sightline/clickhouse';
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
 * Engagement pings on a UTC site, Nov 20 2026. Site `withPings` has the events below plus the
 * pings; site `withoutPings` has only the events. Every ordinary metric must be the same on both.
 *
 *  visitor session  events (pv = pageview)                       pings (page, scroll %, engaged ms)
 *  1       11       pv /a 10:00, pv /b 10:02, pv /a 10:04         /a 40 10000 · /b 100 5000 · /a 80 20000 (10:05)
 *  2       21       pv /a 11:00 (bounce)                          /a 20 3000 (11:01)
 *  3       31       pv /b 12:00 (bounce)                          —
 *  4       41       — (page loaded the day before)                /c 50 1000 (00:00:30)
 *  5       51       — (a ping a minute before NOW)                /a 10 500
 */
const DAY = '2026-11-20';
const NOW = new Date('2026-11-20T23:00:00Z');

const events: FixtureEvent[] = [
  { at: '2026-11-20T10:00:00Z', visitor: 1, session: 11, page: '/a' },
  { at: '2026-11-20T10:02:00Z', visitor: 1, session: 11, page: '/b' },
  { at: '2026-11-20T10:04:00Z', visitor: 1, session: 11, page: '/a' },
  { at: '2026-11-20T11:00:00Z', visitor: 2, session: 21, page: '/a' },
  { at: '2026-11-20T12:00:00Z', visitor: 3, session: 31, page: '/b' },
];
const ping = (at: string, visitor: number, session: number, page: string, sd: number, ms: number) => ({
  at,
  visitor,
  session,
  page,
  name: 'engagement',
  scrollDepth: sd,
  engagementTime: ms,
});
const pings: FixtureEvent[] = [
  ping('2026-11-20T10:01:00Z', 1, 11, '/a', 40, 10_000),
  ping('2026-11-20T10:03:00Z', 1, 11, '/b', 100, 5_000),
  ping('2026-11-20T10:05:00Z', 1, 11, '/a', 80, 20_000),
  ping('2026-11-20T11:01:00Z', 2, 21, '/a', 20, 3_000),
  ping('2026-11-20T00:00:30Z', 4, 41, '/c', 50, 1_000),
  ping('2026-11-20T22:59:00Z', 5, 51, '/a', 10, 500),
];

describe('engagement pings on real ClickHouse', () => {
  const ctx = new TestContext();
  const engine = new QueryEngine(ctx.clickhouse);
  let withPings: AuthorizedSite;
  let withoutPings: AuthorizedSite;

  const run = (site: AuthorizedSite, request: Omit<QueryRequest, 'site_id'>) =>
    engine.run(site, { site_id: site.domain, ...request }, { now: NOW });

  beforeAll(async () => {
    withPings = authorizeSite({ ...(await ctx.newSite({ timezone: 'UTC' })), timezone: 'UTC' });
    withoutPings = authorizeSite({ ...(await ctx.newSite({ timezone: 'UTC' })), timezone: 'UTC' });
    await insertEvents(ctx.clickhouse, withPings.id, [...events, ...pings]);
    await insertEvents(ctx.clickhouse, withoutPings.id, events);
  });
  afterAll(() => ctx.close());

  const ordinary: Omit<QueryRequest, 'site_id'>[] = [
    {
      metrics: [
        'visitors',
        'visits',
        'pageviews',
        'events',
        'bounce_rate',
        'visit_duration',
        'views_per_visit',
      ],
      date_range: [DAY, DAY],
    },
    { metrics: ['visitors', 'pageviews', 'events'], date_range: [DAY, DAY], dimensions: ['event:page'] },
    { metrics: ['visitors', 'events'], date_range: [DAY, DAY], dimensions: ['event:name'] },
    {
      metrics: ['visitors', 'visits', 'bounce_rate'],
      date_range: [DAY, DAY],
      dimensions: ['visit:exit_page'],
    },
    { metrics: ['pageviews', 'events'], date_range: [DAY, DAY], dimensions: ['time:hour'] },
    { metrics: ['visitors', 'pageviews'], date_range: [DAY, DAY], dimensions: ['time:hour'] },
  ];

  it.each(ordinary.map((q) => [q.metrics.join(',') + ' by ' + (q.dimensions ?? []).join(','), q] as const))(
    'leaves %s unchanged',
    async (_label, query) => {
      const a = await run(withPings, query);
      const b = await run(withoutPings, query);
      expect(a.results).toEqual(b.results);
    },
  );

  it('does not count pings as pageviews, events, visitors, bounces or duration (hand-computed)', async () => {
    const res = await run(withPings, ordinary[0] as Omit<QueryRequest, 'site_id'>);
    // visitors 1,2,3; sessions 11,21,31; 5 pageviews, 5 events; bounces 21 and 31 → 67 %;
    // durations 240 s (10:00 → 10:04; the 10:05 ping does not extend it), 0, 0 → 80 s; 5/3 views.
    expect(res.results[0]?.metrics).toEqual([3, 3, 5, 5, 67, 80, 1.67]);
    const exits = await run(withPings, ordinary[3] as Omit<QueryRequest, 'site_id'>);
    expect(exits.results.map((r) => r.dimensions[0]).sort()).toEqual(['/a', '/b']);
  });

  it('keeps pings out of the hourly rollup, the current visitors badge and the site status', async () => {
    const hourly = async (site: AuthorizedSite) => {
      const rs = await ctx.clickhouse.query({
        query: sql`SELECT toString(hour) AS h, sum(events) AS e, sum(pageviews) AS p FROM events_hourly
          WHERE site_id = ${site.id} GROUP BY h ORDER BY h`.text,
        format: 'JSONEachRow',
      });
      return rs.json();
    };
    expect(await hourly(withPings)).toEqual(await hourly(withoutPings));
    expect(await hourly(withPings)).toHaveLength(3);
    // Visitor 5's ping a minute ago is not a current visitor.
    expect(await engine.currentVisitors(withPings, { now: NOW })).toBe(0);
    expect(await engine.siteStatus(withPings)).toMatchObject({
      lastEventAt: new Date('2026-11-20T12:00:00Z'),
    });
  });

  it('computes scroll_depth and time_on_page per page (hand-computed)', async () => {
    const res = await run(withPings, {
      metrics: ['visitors', 'pageviews', 'scroll_depth', 'time_on_page'],
      date_range: [DAY, DAY],
      dimensions: ['event:page'],
    });
    // /a: visitors 1, 2; 3 pageviews; deepest scroll per pinging visitor: 1 → 80 (of 40, 80),
    //     2 → 20, 5 → 10 (visitor 5 has no pageview in the range but did read /a) → 36.67 → 37 %;
    //     (10 + 20 + 3 + 0.5 s) / 3 visitors = 11.17 → 11 s.
    // /b: visitors 1, 3; 2 pageviews; only visitor 1 pinged: 100 %, 5 s.
    // /c: only a ping, no pageview in the range: not a row.
    expect(res.results.map((r) => [...r.dimensions, ...r.metrics])).toEqual([
      ['/a', 2, 3, 37, 11],
      ['/b', 2, 2, 100, 5],
    ]);
  });

  it('computes them over all pages without a dimension, and under a page filter', async () => {
    const all = await run(withPings, {
      metrics: ['visitors', 'scroll_depth', 'time_on_page'],
      date_range: [DAY, DAY],
    });
    // Deepest per visitor and page: (1,/a) 80, (1,/b) 100, (2,/a) 20, (4,/c) 50, (5,/a) 10 → 52 %;
    // 39.5 s over visitors 1, 2, 4, 5 → 9.875 → 10 s. Visitors still 3 (pings are not visits).
    expect(all.results[0]?.metrics).toEqual([3, 52, 10]);
    const pageB = await run(withPings, {
      metrics: ['scroll_depth', 'time_on_page'],
      date_range: [DAY, DAY],
      filters: [['is', 'event:page', ['/b']]],
    });
    expect(pageB.results[0]?.metrics).toEqual([100, 5]);
    const none = await run(withoutPings, {
      metrics: ['scroll_depth', 'time_on_page'],
      date_range: [DAY, DAY],
    });
    expect(none.results[0]?.metrics).toEqual([null, null]);
  });

  it('rejects engagement metrics outside pages, or mixed with session and conversion metrics', async () => {
    for (const query of [
      { metrics: ['scroll_depth'], date_range: [DAY, DAY], dimensions: ['event:name'] },
      { metrics: ['time_on_page'], date_range: [DAY, DAY], dimensions: ['time:hour'] },
      { metrics: ['scroll_depth', 'bounce_rate'], date_range: [DAY, DAY] },
    ] as Omit<QueryRequest, 'site_id'>[]) {
      await expect(run(withPings, query)).rejects.toBeInstanceOf(QueryValidationError);
    }
  });
});
