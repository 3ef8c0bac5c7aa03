import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestContext } from '@sightline/testing';
import { authorizeSite, parseQuery, QueryEngine, QueryValidationError, type AuthorizedSite } from '../src';
import { chooseTable } from '../src/table-decider';
import { insertEvents, type FixtureEvent } from './event-fixtures';
import { ENGAGEMENT_METRICS } from '../src/metrics';
import { randomQueryRequest } from './query-arbitraries';

/**
 * Random valid queries, run on the real server (ClickHouse 18.16 here): every one must execute,
 * for a site without events every one must come back empty while a neighbour has traffic, and
 * whatever table the engine picks (table-decider.ts: the hourly rollup, the sessions table, or raw
 * events) must give exactly the raw-events answer, sampled or not.
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
      const session = i % 91;
      events.push({
        at: `2026-01-${String(day).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`,
        // One visitor and device per session, as the receiver writes them.
        visitor: 1 + (session % 37),
        session: 1 + session,
        name: i % 7 === 0 ? 'Signup' : 'pageview',
        page: ['/', '/blog/a', '/blog/b', "/it's"][i % 4],
        referrerSource: i % 3 === 0 ? 'Google' : '',
        utmSource: i % 5 === 0 ? 'news' : '',
        device: session % 2 ? 'Mobile' : 'Desktop',
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

  /** Requests the sessions table can answer: visit metrics, time and visit dimensions, visit filters with values that match. */
  const sessionsTableRequest = fc.record({
    site_id: fc.constant('example.com'),
    metrics: fc.uniqueArray(
      fc.constantFrom(
        'visitors',
        'visits',
        'pageviews',
        'events',
        'bounce_rate',
        'visit_duration',
        'views_per_visit',
      ),
      { minLength: 1, maxLength: 4 },
    ),
    date_range: fc.constantFrom(
      '7d',
      '30d',
      'month',
      'all',
      ['2026-01-01', '2026-01-31'],
      ['2026-01-05', '2026-01-06'],
    ),
    dimensions: fc.oneof(
      fc.constant([]),
      fc.tuple(
        fc.constantFrom(
          'visit:source',
          'visit:entry_page',
          'visit:exit_page',
          'visit:device',
          'visit:utm_source',
        ),
      ),
      fc.tuple(
        fc.constantFrom('time:day', 'time:hour', 'time:week'),
        fc.constantFrom('visit:source', 'visit:entry_page'),
      ),
      fc.tuple(fc.constantFrom('time:day', 'time:hour', 'time:month')),
    ),
    filters: fc.array(
      fc.oneof(
        fc.tuple(fc.constantFrom('is', 'is_not'), fc.constant('visit:source'), fc.constant(['Google'])),
        fc.tuple(
          fc.constantFrom('is', 'contains'),
          fc.constant('visit:entry_page'),
          fc.constantFrom(['/blog/a'], ['/blog/**'], ['blog']),
        ),
        fc.tuple(fc.constant('is_not'), fc.constant('visit:device'), fc.constant(['Mobile'])),
      ),
      { maxLength: 2 },
    ),
    include: fc.constantFrom({}, { comparisons: { mode: 'previous_period' } }, { total_rows: true }),
    pagination: fc.constant({ limit: 5, offset: 0 }),
  });

  it('answers visit metrics from the sessions table exactly as raw events do, sampled or not', async () => {
    const sampledRaw = new QueryEngine(ctx.clickhouse, { rollups: false, sampleAboveRows: 100 });
    const sampledPicked = new QueryEngine(ctx.clickhouse, { sampleAboveRows: 100 });
    let fromSessions = 0;
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(sessionsTableRequest, async (request) => {
        let q;
        try {
          q = parseQuery(berlin, request, { now, firstEventAt: new Date('2026-01-01T00:00:00Z') });
        } catch (e) {
          if (e instanceof QueryValidationError) return;
          throw e;
        }
        const table = chooseTable(q, q.range, { rollups: true });
        if (table === 'sessions') fromSessions++;
        const [picked, raw, pickedSampled, rawSampled] = await Promise.all([
          engine.run(berlin, request, { now }),
          rawEngine.run(berlin, request, { now }),
          sampledPicked.run(berlin, request, { now }),
          sampledRaw.run(berlin, request, { now }),
        ]);
        expect(picked).toEqual(raw);
        // The rollup is never sampled: it answers exactly whatever the sampling policy.
        expect(pickedSampled).toEqual(table === 'events_hourly' ? picked : rawSampled);
        if (raw.results.some((row) => row.metrics.some((m) => (m ?? 0) > 0))) nonEmpty++;
      }),
      { numRuns: 60 },
    );
    expect(fromSessions).toBeGreaterThan(30);
    expect(nonEmpty).toBeGreaterThan(20);
  }, 120_000);

  it('keeps the sessions table right across insert blocks, hours and the range boundary', async () => {
    const site = authorizeSite({ ...(await ctx.newSite({ timezone: 'UTC' })), timezone: 'UTC' });
    // Session 1 lands from Google at 09:59:58 (a custom event in the same second comes after the
    // pageview), continues past the hour and past midnight; its events arrive in three inserts.
    // Session 2 is a bounce from Bing; session 3 has only a custom event.
    const batches: FixtureEvent[][] = [
      [
        { at: '2026-01-10T09:59:58Z', visitor: 1, session: 1, name: 'Signup', page: '/signup' },
        { at: '2026-01-10T09:59:58Z', visitor: 1, session: 1, page: '/landing', referrerSource: 'Google' },
        { at: '2026-01-10T10:00:30Z', visitor: 1, session: 1, page: '/pricing' },
        {
          at: '2026-01-10T12:00:00Z',
          visitor: 2,
          session: 2,
          page: '/',
          referrerSource: 'Bing',
          device: 'Mobile',
        },
      ],
      [{ at: '2026-01-10T10:20:00Z', visitor: 1, session: 1, page: '/docs' }],
      [
        { at: '2026-01-10T23:50:00Z', visitor: 1, session: 1, page: '/late' },
        { at: '2026-01-11T00:10:00Z', visitor: 1, session: 1, page: '/after-midnight' },
        { at: '2026-01-10T15:00:00Z', visitor: 3, session: 3, name: 'Download', page: '/files' },
      ],
    ];
    for (const batch of batches) await insertEvents(ctx.clickhouse, site.id, batch);
    const day = { site_id: site.domain, date_range: ['2026-01-10', '2026-01-10'] };
    const requests = [
      { ...day, metrics: ['visitors', 'visits', 'pageviews', 'events', 'bounce_rate', 'visit_duration'] },
      { ...day, metrics: ['visitors', 'bounce_rate'], dimensions: ['visit:source'] },
      { ...day, metrics: ['visits'], dimensions: ['visit:entry_page'] },
      { ...day, metrics: ['visits'], dimensions: ['visit:exit_page'] },
      { ...day, metrics: ['visitors', 'pageviews'], dimensions: ['time:hour'] },
      { ...day, metrics: ['visits', 'visit_duration'], dimensions: ['time:hour'] },
      {
        site_id: site.domain,
        date_range: ['2026-01-10', '2026-01-11'],
        metrics: ['visit_duration', 'visits'],
      },
      {
        site_id: site.domain,
        date_range: ['2026-01-11', '2026-01-11'],
        metrics: ['visits'],
        dimensions: ['visit:entry_page'],
      },
    ];
    const answers = [];
    for (const request of requests) {
      const q = parseQuery(site, request, { now });
      expect(chooseTable(q, q.range, { rollups: true })).toBe('sessions');
      const picked = await engine.run(site, request, { now });
      answers.push(picked.results);
      // The raw engine's tie inside 09:59:58 is not deterministic; compare where it is not involved.
      if (!('dimensions' in request && request.dimensions.includes('visit:source')))
        expect(picked).toEqual(await rawEngine.run(site, request, { now }));
    }
    // On the 10th: session 1 runs 09:59:58..23:50:00 (49,802 s) with 4 pageviews and a custom event;
    // session 2 is a bounce; session 3 (no pageview) is not.
    expect(answers[0]).toEqual([{ dimensions: [], metrics: [3, 3, 5, 7, 33, 16601] }]);
    expect(answers[1]).toEqual([
      { dimensions: ['Bing'], metrics: [1, 100] },
      { dimensions: ['Direct / None'], metrics: [1, 0] },
      { dimensions: ['Google'], metrics: [1, 0] },
    ]);
    // Session 3's entry page is its first event's path, as Plausible has it.
    expect(answers[2]).toEqual([
      { dimensions: ['/'], metrics: [1] },
      { dimensions: ['/files'], metrics: [1] },
      { dimensions: ['/landing'], metrics: [1] },
    ]);
    expect(answers[7]).toEqual([{ dimensions: ['/after-midnight'], metrics: [1] }]);
  });

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
