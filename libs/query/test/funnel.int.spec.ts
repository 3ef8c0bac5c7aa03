import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestContext } from '@sightline/testing';
import {
  authorizeSite,
  compileFunnel,
  FunnelRunner,
  parseFunnelRequest,
  QueryValidationError,
  type AuthorizedSite,
  type FunnelDefinition,
  type FunnelResult,
} from '../src';
import { insertEvents, type FixtureEvent } from './event-fixtures';

/**
 * Hand-computed funnels on ClickHouse. Site in UTC; every visitor on 2026-03-10 unless noted.
 * Funnel: Visit / → Visit /pricing → Signup (custom event).
 *
 *  visitor  events (time, what)                                        reaches  why
 *  1        10:00 /, 10:01 /pricing, 10:02 Signup                      3        in order
 *  2        10:00 /pricing, 10:01 /, 10:02 /about                      1        out of order: /pricing before /
 *  3        09:00 /, 09:01 /, 09:05 /pricing, 09:06 /pricing,
 *           09:07 /, 09:08 Signup                                      3        repeated steps
 *  4        11:00 /, 11:05 Signup                                      1        skips /pricing
 *  5        Mar 10 08:00 /, Mar 11 09:00 /pricing (25 h later)         1        outside the 24 h window
 *  6        12:00 /about                                               0        never enters
 *  7        13:00:00 / and 13:00:00 /pricing (same second)             2        same second, funnel order
 *  8        14:00 /, 14:01 /pricing, 14:02 Signup — in the US          3        (filtered out by country DE)
 *
 *  all: 8 visitors; reached 7, 4, 3. With visit:country is DE: 7 visitors; 6, 3, 2.
 */
const DAY = '2026-03-10';
const at = (time: string, day = DAY) => `${day}T${time}Z`;

const events: FixtureEvent[] = [
  { at: at('10:00:00'), visitor: 1, session: 11, page: '/' },
  { at: at('10:01:00'), visitor: 1, session: 11, page: '/pricing' },
  { at: at('10:02:00'), visitor: 1, session: 11, page: '/pricing', name: 'Signup' },
  { at: at('10:00:00'), visitor: 2, session: 21, page: '/pricing' },
  { at: at('10:01:00'), visitor: 2, session: 21, page: '/' },
  { at: at('10:02:00'), visitor: 2, session: 21, page: '/about' },
  { at: at('09:00:00'), visitor: 3, session: 31, page: '/' },
  { at: at('09:01:00'), visitor: 3, session: 31, page: '/' },
  { at: at('09:05:00'), visitor: 3, session: 31, page: '/pricing' },
  { at: at('09:06:00'), visitor: 3, session: 31, page: '/pricing' },
  { at: at('09:07:00'), visitor: 3, session: 31, page: '/' },
  { at: at('09:08:00'), visitor: 3, session: 31, page: '/', name: 'Signup' },
  { at: at('11:00:00'), visitor: 4, session: 41, page: '/' },
  { at: at('11:05:00'), visitor: 4, session: 41, page: '/', name: 'Signup' },
  { at: at('08:00:00'), visitor: 5, session: 51, page: '/' },
  { at: at('09:00:00', '2026-03-11'), visitor: 5, session: 52, page: '/pricing' },
  { at: at('12:00:00'), visitor: 6, session: 61, page: '/about' },
  // Inserted in reverse so that storage order cannot be what puts / first.
  { at: at('13:00:00'), visitor: 7, session: 71, page: '/pricing' },
  { at: at('13:00:00'), visitor: 7, session: 71, page: '/' },
  { at: at('14:00:00'), visitor: 8, session: 81, page: '/', country: 'US' },
  { at: at('14:01:00'), visitor: 8, session: 81, page: '/pricing', country: 'US' },
  { at: at('14:02:00'), visitor: 8, session: 81, page: '/pricing', name: 'Signup', country: 'US' },
];

/** Blog traffic for wildcard steps, on the same site on Mar 12. */
const blog: FixtureEvent[] = [
  // One event that matches both `/blog/**` and `/blog/launch`: it must not complete both steps.
  { at: at('10:00:00', '2026-03-12'), visitor: 20, session: 201, page: '/blog/launch' },
  // /blog/** then /blog/launch: both steps.
  { at: at('10:00:00', '2026-03-12'), visitor: 21, session: 211, page: '/blog/2026/recap' },
  { at: at('10:03:00', '2026-03-12'), visitor: 21, session: 211, page: '/blog/launch' },
  // `*` is one segment: /blog/a/b is not /blog/*.
  { at: at('10:00:00', '2026-03-12'), visitor: 22, session: 221, page: '/blog/a/b' },
  // Regex characters in a path are literal.
  { at: at('10:00:00', '2026-03-12'), visitor: 23, session: 231, page: '/(a+)+b' },
  { at: at('10:00:00', '2026-03-12'), visitor: 24, session: 241, page: '/aaab' },
  // Another host (for an event:hostname filter).
  {
    at: at('11:00:00', '2026-03-12'),
    visitor: 25,
    session: 251,
    page: '/blog/launch',
    hostname: 'app.example.com',
  },
  {
    at: at('11:01:00', '2026-03-12'),
    visitor: 25,
    session: 251,
    page: '/blog/launch',
    hostname: 'app.example.com',
    name: 'Signup',
  },
];

const signupFunnel: FunnelDefinition = {
  id: 'f-signup',
  name: 'Signup',
  steps: [
    { kind: 'page', pattern: '/' },
    { kind: 'page', pattern: '/pricing' },
    { kind: 'event', name: 'Signup' },
  ],
};

const NOW = new Date('2026-03-20T12:00:00Z');
const march10to11 = { date_range: ['2026-03-10', '2026-03-11'] };

function reached(result: FunnelResult): number[] {
  return result.steps.map((s) => s.visitors);
}

describe('funnels on ClickHouse', () => {
  const ctx = new TestContext();
  const runner = new FunnelRunner(ctx.clickhouse);
  let site: AuthorizedSite;
  let other: AuthorizedSite;

  const run = (funnel: FunnelDefinition, request: unknown, s = site) =>
    runner.run(s, funnel, request, { now: NOW });

  beforeAll(async () => {
    site = authorizeSite(await ctx.newSite({ timezone: 'UTC' }));
    other = authorizeSite(await ctx.newSite({ timezone: 'UTC' }));
    await insertEvents(ctx.clickhouse, site.id, [...events, ...blog]);
    // Another tenant with the same visitor ids and times, all converting: a leak changes every number.
    await insertEvents(
      ctx.clickhouse,
      other.id,
      events.flatMap((e) => [e, { ...e, visitor: e.visitor + 100, name: 'Signup' }]),
    );
  });
  afterAll(() => ctx.close());

  it('counts visitors per step: order, repeats, skipped steps, the 24 h window and same-second events', async () => {
    const result = await run(signupFunnel, march10to11);
    expect(reached(result)).toEqual([7, 4, 3]);
    expect(result.all_visitors).toBe(8);
    expect(result).toMatchObject({
      funnel: { id: 'f-signup', name: 'Signup' },
      entering_visitors: 7,
      entering_visitors_percentage: 87.5,
      never_entering_visitors: 1,
      never_entering_visitors_percentage: 12.5,
      date_range: ['2026-03-10T00:00:00+00:00', '2026-03-11T23:59:59+00:00'],
    });
    expect(result.steps).toEqual([
      {
        label: 'Visit /',
        step: { kind: 'page', pattern: '/' },
        visitors: 7,
        conversion_rate: 100,
        conversion_rate_step: 100,
        dropoff: 0,
        dropoff_percentage: 0,
      },
      {
        label: 'Visit /pricing',
        step: { kind: 'page', pattern: '/pricing' },
        visitors: 4,
        conversion_rate: 57.14,
        conversion_rate_step: 57.14,
        dropoff: 3,
        dropoff_percentage: 42.86,
      },
      {
        label: 'Signup',
        step: { kind: 'event', name: 'Signup' },
        visitors: 3,
        conversion_rate: 42.86,
        conversion_rate_step: 75,
        dropoff: 1,
        dropoff_percentage: 25,
      },
    ]);
  });

  it('applies visit filters (sessions that match) and event filters (matching events only)', async () => {
    const de = await run(signupFunnel, { ...march10to11, filters: [['is', 'visit:country', ['DE']]] });
    expect(reached(de)).toEqual([6, 3, 2]);
    expect(de.all_visitors).toBe(7);
    // Only /pricing and Signup events are left: nobody can enter at /.
    const pages = await run(signupFunnel, {
      ...march10to11,
      filters: [['is_not', 'event:page', ['/']]],
    });
    expect(reached(pages)).toEqual([0, 0, 0]);
    expect(pages.all_visitors).toBe(7); // all but 4 have an event that is not on /
  });

  it('the period bounds the events (visitor 5 is one step on each day)', async () => {
    const result = await run(signupFunnel, { date_range: ['2026-03-10', '2026-03-10'] });
    expect(reached(result)).toEqual([7, 4, 3]);
    const nextDay = await run(signupFunnel, { date_range: ['2026-03-11', '2026-03-11'] });
    expect(reached(nextDay)).toEqual([0, 0, 0]);
    expect(nextDay.all_visitors).toBe(1);
  });

  it('an empty period answers zeros, not an error', async () => {
    const result = await run(signupFunnel, { date_range: ['2026-01-01', '2026-01-31'] });
    expect(result.all_visitors).toBe(0);
    expect(result.steps.map((s) => [s.visitors, s.conversion_rate, s.dropoff, s.dropoff_percentage])).toEqual(
      [
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ],
    );
    expect(result.entering_visitors_percentage).toBe(0);
  });

  it('wildcards: ** any depth, * one segment; one event never completes two steps', async () => {
    const day = { date_range: ['2026-03-12', '2026-03-12'] };
    const deep = await run(
      {
        id: 'b',
        name: 'Blog',
        steps: [
          { kind: 'page', pattern: '/blog/**' },
          { kind: 'page', pattern: '/blog/launch' },
        ],
      },
      day,
    );
    // 20 (one event), 21, 22, 25 enter; only 21 (two pageviews) reaches step 2.
    expect(reached(deep)).toEqual([4, 1]);
    const oneSegment = await run(
      {
        id: 'c',
        name: 'One segment',
        steps: [
          { kind: 'page', pattern: '/blog/*' },
          { kind: 'event', name: 'Signup' },
        ],
      },
      day,
    );
    // /blog/launch (20, 25) matches, /blog/2026/recap and /blog/a/b do not; 21's /blog/launch does.
    expect(reached(oneSegment)).toEqual([3, 1]);
    const literal = await run(
      {
        id: 'd',
        name: 'Literal',
        steps: [
          { kind: 'page', pattern: '/(a+)+b' },
          { kind: 'page', pattern: '/**' },
        ],
      },
      day,
    );
    expect(reached(literal)).toEqual([1, 0]); // only the literal path, not /aaab
    const appHost = await run(
      {
        id: 'e',
        name: 'App',
        steps: [
          { kind: 'page', pattern: '/blog/launch' },
          { kind: 'event', name: 'Signup' },
        ],
      },
      { ...day, filters: [['is', 'event:hostname', ['app.example.com']]] },
    );
    expect(reached(appHost)).toEqual([1, 1]);
    expect(appHost.all_visitors).toBe(1);
  });

  it('every scan is scoped to the site and period', () => {
    const { range, filters } = parseFunnelRequest(
      site,
      { ...march10to11, filters: [['is', 'visit:source', ['Google']]] },
      { now: NOW },
    );
    const text = compileFunnel(site, signupFunnel.steps, range, filters).text;
    const scans = text.match(/FROM events\b/g) ?? [];
    const scoped = text.match(new RegExp(`FROM events WHERE site_id = ${site.id} AND `, 'g')) ?? [];
    expect(scans.length).toBe(2);
    expect(scoped.length).toBe(scans.length);
  });

  it('refuses bad requests with the field named', async () => {
    await expect(run(signupFunnel, { date_range: 'forever' })).rejects.toThrow(QueryValidationError);
    await expect(run(signupFunnel, { metrics: ['visitors'] })).rejects.toMatchObject({ field: 'metrics' });
    await expect(run(signupFunnel, { filters: [['is', 'visit:nope', ['x']]] })).rejects.toMatchObject({
      field: expect.stringContaining('filters[0]'),
    });
    await expect(
      run({ id: 'x', name: 'x', steps: [{ kind: 'page', pattern: '/' }] }, {}),
    ).rejects.toMatchObject({ field: 'steps' });
    await expect(
      run(
        {
          id: 'x',
          name: 'x',
          steps: [
            { kind: 'page', pattern: '/**/**/**/**/**/**/**/**/**' },
            { kind: 'page', pattern: '/' },
          ],
        },
        {},
      ),
    ).rejects.toMatchObject({ field: 'steps[0].pattern' });
  });
});
