import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestContext } from '@sightline/testing';
import { authorizeSite, parseQuery, QueryEngine, type AuthorizedSite } from '../src';
import { chooseTable } from '../src/table-decider';
import { insertEvents, type FixtureEvent } from './event-fixtures';

/**
 * The sessions table orders a session's events by a 13-byte key (migration 006: timestamp and
 * event_id big-endian, pageview before a custom event), the raw engine by the tuple
 * (timestamp, name != 'pageview', event_id). Ties in one second and values that carry into the
 * next byte are where a wrong encoding (little-endian, trailing zeros dropped) would pick another
 * first or last event; here both engines must name the same pages, and the ones the rule says.
 */
describe('sessions table order key (migration 006)', () => {
  const ctx = new TestContext();
  const engine = new QueryEngine(ctx.clickhouse);
  const raw = new QueryEngine(ctx.clickhouse, { rollups: false, sampleAboveRows: null });
  const now = new Date('2026-01-20T12:00:00Z');
  let site: AuthorizedSite;

  // A second whose low byte is 0xff, so the next second carries into the second byte.
  const dayStart = Date.parse('2026-01-05T10:00:00Z') / 1000;
  const carry = dayStart + ((255 - (dayStart % 256) + 256) % 256);
  const at = (seconds: number): string => new Date(seconds * 1000).toISOString();
  const HIGH = 2 ** 63; // exact as a double; the top byte of event_id

  const events: FixtureEvent[] = [
    // 1: same second: a custom event with the lowest id, then pageviews 256 and 255 (0x00ff < 0x0100).
    { at: at(carry), visitor: 1, session: 1, name: 'Signup', page: '/s1-custom', eventId: 1 },
    { at: at(carry), visitor: 1, session: 1, page: '/s1-256', eventId: 256, referrerSource: 'B' },
    { at: at(carry), visitor: 1, session: 1, page: '/s1-255', eventId: 255, referrerSource: 'A' },
    // 2: the earlier second (…ff) with a huge id beats the next second (carry) with a tiny one.
    { at: at(carry + 1), visitor: 2, session: 2, page: '/s2-late', eventId: 1 },
    { at: at(carry), visitor: 2, session: 2, page: '/s2-early', eventId: HIGH + 2 ** 40 },
    // 3: exit page: the last pageview; same second, ids on both sides of a byte boundary.
    { at: at(carry + 60), visitor: 3, session: 3, page: '/s3-a', eventId: 65_536 },
    { at: at(carry + 60), visitor: 3, session: 3, page: '/s3-b', eventId: 65_535 },
    { at: at(carry + 60), visitor: 3, session: 3, name: 'Signup', page: '/s3-custom', eventId: HIGH },
    // 4: a session over two hours: entry in the first hour row, exit in the second.
    { at: at(dayStart - 1), visitor: 4, session: 4, page: '/s4-first', eventId: HIGH + 7 },
    { at: at(dayStart), visitor: 4, session: 4, page: '/s4-second', eventId: 3 },
  ];

  beforeAll(async () => {
    site = authorizeSite({ ...(await ctx.newSite({ timezone: 'UTC' })), timezone: 'UTC' });
    await insertEvents(ctx.clickhouse, site.id, events);
  });
  afterAll(() => ctx.close());

  const run = async (dimension: string): Promise<Record<string, number>> => {
    const request = {
      site_id: site.domain,
      metrics: ['visits'],
      date_range: ['2026-01-05', '2026-01-05'],
      dimensions: [dimension],
    };
    const q = parseQuery(site, request, { now });
    expect(chooseTable(q, q.range, { rollups: true })).toBe('sessions');
    const [picked, expected] = await Promise.all([
      engine.run(site, request, { now }),
      raw.run(site, request, { now }),
    ]);
    expect(picked).toEqual(expected);
    return Object.fromEntries(picked.results.map((r) => [String(r.dimensions[0]), Number(r.metrics[0])]));
  };

  it('picks the first event by (second, pageview first, event_id), as the raw engine', async () => {
    expect(await run('visit:entry_page')).toEqual({
      '/s1-255': 1,
      '/s2-early': 1,
      '/s3-b': 1,
      '/s4-first': 1,
    });
    expect(await run('visit:source')).toEqual({ A: 1, 'Direct / None': 3 });
  });

  it('picks the last pageview by the same order for the exit page', async () => {
    expect(await run('visit:exit_page')).toEqual({
      '/s1-256': 1,
      '/s2-late': 1,
      '/s3-a': 1,
      '/s4-second': 1,
    });
  });
});
