import { afterAll, describe, expect, it } from 'vitest';
import { TestContext } from '@sightline/testing';
import { authorizeSite, QueryEngine } from '../../src';
import { insertEvents, type FixtureEvent } from '../event-fixtures';
import { CASES, SKIPPED, type PlausibleEvent } from './query-test.fixtures';

const SESSION_GAP_MS = 30 * 60_000;
const NOW = new Date('2021-01-31T12:00:00Z');

/** Plausible's implicit identities: one visitor per user (anonymous events: one each), sessions split after 30 idle minutes. */
function toFixtureEvents(events: PlausibleEvent[]): FixtureEvent[] {
  let nextAnonymous = 1_000_000;
  let nextSession = 1;
  const last = new Map<number, { at: number; session: number }>();
  const ordered = events
    .map((e, i) => ({ e, i, at: new Date(`${(e.t ?? '2021-01-01 00:00:00').replace(' ', 'T')}Z`).getTime() }))
    .sort((a, b) => a.at - b.at || a.i - b.i);
  return ordered.map(({ e, at }) => {
    let visitor: number;
    let session: number;
    if (e.user === undefined) {
      visitor = nextAnonymous++;
      session = nextSession++;
    } else {
      visitor = e.user;
      const previous = last.get(e.user);
      session = previous && at - previous.at <= SESSION_GAP_MS ? previous.session : nextSession++;
      last.set(e.user, { at, session });
    }
    return {
      at: new Date(at).toISOString(),
      visitor,
      session,
      name: e.name ?? 'pageview',
      page: e.pathname ?? '/',
      hostname: e.hostname ?? 'test-site.com',
      referrerSource: e.referrer_source ?? '',
      referrer: e.referrer ?? '',
      utmSource: e.utm_source ?? '',
      utmMedium: e.utm_medium ?? '',
      utmCampaign: e.utm_campaign ?? '',
      country: e.country_code ?? '',
      device: e.screen_size ?? '',
      browser: e.browser ?? '',
      os: e.operating_system ?? '',
      ...(e.props ? { props: e.props } : {}),
    };
  });
}

describe("Plausible's published query tests, as fixtures", () => {
  const ctx = new TestContext();
  const engine = new QueryEngine(ctx.clickhouse, { rollups: false, sampleAboveRows: null });
  afterAll(() => ctx.close());

  it('ports at least 25 cases and says why each other one is skipped', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
    for (const s of SKIPPED) expect(s.reason.length).toBeGreaterThan(0);
  });

  for (const c of CASES)
    it(c.source, async () => {
      const row = await ctx.newSite({ timezone: 'UTC' });
      const site = authorizeSite({ ...row, timezone: 'UTC' });
      await insertEvents(ctx.clickhouse, site.id, toFixtureEvents(c.events));
      const res = await engine.run(site, { site_id: site.domain, ...c.request }, { now: NOW });
      expect(res.results.map(({ dimensions, metrics }) => ({ dimensions, metrics }))).toEqual(c.results);
      if (c.time_labels) expect(res.meta.time_labels).toEqual(c.time_labels);
      if (c.time_labels_count !== undefined) expect(res.meta.time_labels).toHaveLength(c.time_labels_count);
      if (c.comparisons) expect(res.results.map((r) => r.comparison)).toEqual(c.comparisons);
    });
});
