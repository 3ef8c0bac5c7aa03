import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestContext } from '@sightline/testing';
import { authorizeSite, QueryEngine, QueryValidationError, type AuthorizedSite } from '../src';
import { insertEvents, type FixtureEvent } from './event-fixtures';
import { ENGAGEMENT_METRICS } from '../src/metrics';
import { randomQueryRequest } from './query-arbitraries';

/**
 * Random valid queries, run on the real server (ClickHouse 18.16 here): every one must execute,
 * for a site without events every one must come back empty while a neighbour has traffic, and
 * whatever table the engine picks (table-decider.ts: the hourly rollup, or raw events) must give
 * exactly the raw-events answer.
 */
describe('random queries on real ClickHouse', () => {
  const ctx = new TestContext();
  const engine = new QueryEngine(ctx.clickhouse);
  /** The reference: plain events, no rollup, no sampling. */
  const rawEngine = new QueryEngine(ctx.clickhouse, { rollups: false, sampleAboveRows: null });
  const now = new Date('2026-01-20T12:00:00Z');
  let busy: AuthorizedSite;
  let quiet: AuthorizedSite;
  /** The same traffic in a whole-hour zone, where the rollup can answer. */
  let berlin: AuthorizedSite;

  beforeAll(async () => {
    busy = authorizeSite({ ...(await ctx.newSite({ timezone: 'Asia/Kolkata' })), timezone: 'Asia/Kolkata' });
    quiet = authorizeSite({ ...(await ctx.newSite({ timezone: 'Asia/Kolkata' })), timezone: 'Asia/Kolkata' });
    const events: FixtureEvent[] = [];
    for (let i = 0; i < 400; i++) {
      const day = 1 + (i % 20);
      events.push({
        at: `2026-01-${String(day).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`,
        visitor: 1 + (i % 37),
        session: 1 + (i % 91),
        name: i % 7 === 0 ? 'Signup' : 'pageview',
        page: ['/', '/blog/a', '/blog/b', "/it's"][i % 4],
        referrerSource: i % 3 === 0 ? 'Google' : '',
        utmSource: i % 5 === 0 ? 'news' : '',
        device: i % 2 ? 'Mobile' : 'Desktop',
        ...(i % 7 === 0
          ? { props: { plan: i % 2 ? 'pro' : 'free' }, revenue: { amount: i / 4, currency: 'USD' } }
          : {}),
      });
      // Engagement pings ride along: no table may count them (the rollup's view skips them too).
      if (i % 5 === 0) {
        const last = events[events.length - 1] as FixtureEvent;
        events.push({ ...last, name: 'engagement', scrollDepth: (i * 7) % 101, engagementTime: i * 100 });
      }
    }
    await insertEvents(ctx.clickhouse, busy.id, events);
    berlin = authorizeSite({
      ...(await ctx.newSite({ timezone: 'Europe/Berlin' })),
      timezone: 'Europe/Berlin',
    });
    await insertEvents(ctx.clickhouse, berlin.id, events);
  });
  afterAll(() => ctx.close());

  it('executes every valid query, and an empty site sees none of its neighbour', async () => {
    let executed = 0;
    await fc.assert(
      fc.asyncProperty(randomQueryRequest, async (request) => {
        let busyResult;
        try {
          busyResult = await engine.run(busy, request, { now });
        } catch (e) {
          if (e instanceof QueryValidationError) return;
          throw e;
        }
        executed++;
        expect(busyResult.results.length).toBeLessThanOrEqual(request.pagination.limit);
        const quietResult = await engine.run(quiet, request, { now });
        for (const row of quietResult.results) {
          if (row.dimensions.length > 0) throw new Error(`a row leaked: ${JSON.stringify(row)}`);
          // Averages of engagement pings have no value (null) where there are none.
          const emptyValue = (i: number) => (ENGAGEMENT_METRICS.has(request.metrics[i]!) ? null : 0);
          expect(row.metrics.every((m, i) => m === emptyValue(i))).toBe(true);
        }
        for (const site of [busy, berlin]) {
          const [picked, raw] = await Promise.all([
            engine.run(site, request, { now }),
            rawEngine.run(site, request, { now }),
          ]);
          expect(picked).toEqual(raw);
        }
      }),
      { numRuns: 120 },
    );
    expect(executed).toBeGreaterThan(20);
  }, 120_000);

  it('answers unfiltered counts from the rollup exactly, in total and per bucket, with comparisons', async () => {
    const requests = [
      { metrics: ['pageviews', 'events'], date_range: 'all' },
      {
        metrics: ['pageviews'],
        date_range: ['2026-01-01', '2026-01-31'],
        dimensions: ['time:day'],
        include: { comparisons: { mode: 'previous_period' }, time_labels: true },
      },
      { metrics: ['events'], date_range: '7d', dimensions: ['time:hour'] },
      { metrics: ['pageviews', 'events'], date_range: 'month', dimensions: ['time:week'] },
    ];
    for (const r of requests) {
      const request = { site_id: berlin.domain, ...r };
      const [picked, raw] = await Promise.all([
        engine.run(berlin, request, { now }),
        rawEngine.run(berlin, request, { now }),
      ]);
      expect(picked).toEqual(raw);
      expect(picked.results.some((row) => row.metrics.some((m) => (m ?? 0) > 0))).toBe(true);
    }
  });

  it('samples above the row threshold, says so in meta, and scales counts back up', async () => {
    const sampling = new QueryEngine(ctx.clickhouse, { sampleAboveRows: 100 });
    const request = {
      site_id: busy.domain,
      metrics: ['visitors', 'pageviews', 'bounce_rate'],
      date_range: ['2026-01-01', '2026-01-31'],
    };
    const sampled = await sampling.run(busy, request, { now });
    const exact = await rawEngine.run(busy, request, { now });
    // 400 rows, sampled down to about 100: SAMPLE 1/4.
    expect(sampled.meta.sampling).toEqual({ fraction: 1 / 4, rows_in_range: 400 });
    expect(exact.meta.sampling).toBeUndefined();
    const [visitors, pageviews] = sampled.results[0]?.metrics ?? [];
    // Counts are multiples of the denominator (a quarter of the visitors, each counted four times).
    expect((visitors ?? 0) % 4).toBe(0);
    expect((pageviews ?? 0) % 4).toBe(0);
    // Small sites are not sampled by default.
    expect((await engine.run(busy, request, { now })).meta.sampling).toBeUndefined();
  });
});
