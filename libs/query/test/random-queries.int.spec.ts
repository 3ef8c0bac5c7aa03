import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestContext } from '@sightline/testing';
import { authorizeSite, QueryEngine, QueryValidationError, type AuthorizedSite } from '../src';
import { insertEvents, type FixtureEvent } from './event-fixtures';
import { randomQueryRequest } from './query-arbitraries';

/**
 * Random valid queries, run on the real server (ClickHouse 18.16 here): every one must execute,
 * and for a site without events every one must come back empty while a neighbour has traffic.
 */
describe('random queries on real ClickHouse', () => {
  const ctx = new TestContext();
  const engine = new QueryEngine(ctx.clickhouse);
  const now = new Date('2026-01-20T12:00:00Z');
  let busy: AuthorizedSite;
  let quiet: AuthorizedSite;

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
      });
    }
    await insertEvents(ctx.clickhouse, busy.id, events);
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
          expect(row.metrics.every((m) => m === 0)).toBe(true);
        }
      }),
      { numRuns: 80 },
    );
    expect(executed).toBeGreaterThan(20);
  });
});
