import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebVitalsRepository } from '@sightline/clickhouse';
import { serializeVitalsRow, type VitalsRow } from '@sightline/events';
import { TestContext } from '@sightline/testing';
import { authorizeSite, QueryValidationError, WebVitalsEngine, type AuthorizedSite } from '../src';

/**
 * Hand-made vitals for a UTC site, range 2026-11-20..21, run at NOW (2026-11-21 12:00):
 *
 *   /home   Nov 20  40 loads, Desktop, US, Chrome   LCP 1000 + 50·i (1000..2950) ms, i = 0..39;
 *                   INP 50 + 10·i but unmeasured (-1) on every 4th load; CLS 0.01·i; FCP 500 + 30·i;
 *                   TTFB 100 + 20·i
 *   /slow   Nov 21  20 loads, Mobile, DE, Firefox   LCP 3000 + 200·i (3000..6800), INP 300 + 20·i,
 *                   CLS 0.2 + 0.01·i, FCP 2000 + 100·i, TTFB 1000 + 50·i
 *   other site      the same day, LCP 60000: must never show up.
 *
 * p75 comes from ClickHouse's quantileTDigest (bounded memory at any traffic): an estimate that
 * interpolates between the order statistics either side of rank 0.75·n, so every p75 below is
 * checked against that hand-computed bracket [⌈0.75·n⌉-th, (⌊0.75·n⌋+1)-th smallest]; the values
 * step finely, so the bracket is narrow and lies inside one band. Band counts are exact.
 */
const NOW = new Date('2026-11-21T12:00:00Z');
const RANGE = { date_range: ['2026-11-20', '2026-11-21'] as [string, string] };

/** The two order statistics around rank 0.75·n (equal when the rank falls on one value). */
function p75Bracket(values: number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return [sorted[Math.ceil(0.75 * n) - 1] as number, sorted[Math.floor(0.75 * n)] as number];
}

function expectWithin(actual: number | null | undefined, [low, high]: [number, number]): void {
  expect(actual).not.toBeNull();
  expect(actual).toBeGreaterThanOrEqual(low - 1e-3);
  expect(actual).toBeLessThanOrEqual(high + 1e-3);
}

let nextId = 1n;
function row(siteId: number, at: string, fields: Partial<VitalsRow>): VitalsRow {
  return {
    event_id: nextId++,
    visitor_id: nextId,
    site_id: siteId,
    timestamp: at,
    hostname: 'vitals.test',
    pathname: '/',
    country_code: '',
    browser: '',
    os: '',
    device: '',
    lcp: -1,
    inp: -1,
    cls: -1,
    fcp: -1,
    ttfb: -1,
    ...fields,
  };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const home = range(40).map((i) => ({
  lcp: 1000 + 50 * i,
  inp: i % 4 === 3 ? -1 : 50 + 10 * i,
  cls: i / 100,
  fcp: 500 + 30 * i,
  ttfb: 100 + 20 * i,
}));
const slow = range(20).map((i) => ({
  lcp: 3000 + 200 * i,
  inp: 300 + 20 * i,
  cls: (20 + i) / 100,
  fcp: 2000 + 100 * i,
  ttfb: 1000 + 50 * i,
}));

describe('web vitals engine on ClickHouse', () => {
  const ctx = new TestContext();
  const engine = new WebVitalsEngine(ctx.clickhouse);
  let site: AuthorizedSite;

  beforeAll(async () => {
    const created = await ctx.newSite({ timezone: 'UTC' });
    site = authorizeSite({ id: created.id, domain: created.domain, timezone: 'UTC' });
    const other = await ctx.newSite();
    const rows = [
      ...home.map((v, i) =>
        row(site.id, `2026-11-20 10:${String(i).padStart(2, '0')}:00`, {
          ...v,
          pathname: '/home',
          device: 'Desktop',
          country_code: 'US',
          browser: 'Chrome',
        }),
      ),
      ...slow.map((v, i) =>
        row(site.id, `2026-11-21 09:${String(i).padStart(2, '0')}:00`, {
          ...v,
          pathname: '/slow',
          device: 'Mobile',
          country_code: 'DE',
          browser: 'Firefox',
        }),
      ),
      row(other.id, '2026-11-21 09:00:00', { pathname: '/home', lcp: 60_000, cls: 50 }),
      // Outside the range (the day before): not counted.
      row(site.id, '2026-11-19 23:59:59', { pathname: '/home', lcp: 60_000 }),
    ];
    await new WebVitalsRepository(ctx.clickhouse).insertJsonLines(rows.map(serializeVitalsRow));
  });
  afterAll(() => ctx.close());

  it('p75 per metric is the hand-computed nearest-rank value, with its band', async () => {
    const res = await engine.run(site, { site_id: site.domain, ...RANGE }, { now: NOW });
    const all = [...home, ...slow];
    const byMetric = Object.fromEntries(res.summary.map((s) => [s.metric, s]));
    const of = (m: 'lcp' | 'inp' | 'cls' | 'fcp' | 'ttfb') => all.map((v) => v[m]).filter((v) => v >= 0);
    // Written out: of 60 loads, the 45th and 46th smallest LCP are /slow's 5th and 6th (3000 + 4·200, + 5·200).
    expect(p75Bracket(of('lcp'))).toEqual([3800, 4000]);
    expectWithin(byMetric.lcp?.p75, [3800, 4000]);
    expect(byMetric.lcp).toMatchObject({ band: 'needs_improvement', samples: 60 });
    // INP: 50 measured; the 38th and 39th are both 440 (/home's i = 39 is unmeasured, /slow's 8th is 300 + 7·20).
    expect(p75Bracket(of('inp'))).toEqual([440, 440]);
    expect(byMetric.inp).toMatchObject({ samples: 50, p75: 440, band: 'needs_improvement' });
    // CLS: 0.00..0.19 once, then 0.20..0.39 twice each (both pages): the 45th and 46th are 0.32.
    expect(p75Bracket(of('cls'))).toEqual([0.32, 0.32]);
    expect(byMetric.cls?.p75).toBeCloseTo(0.32, 3);
    expect(byMetric.cls).toMatchObject({ band: 'poor', samples: 60 });
    expect(p75Bracket(of('fcp'))).toEqual([2400, 2500]);
    expectWithin(byMetric.fcp?.p75, [2400, 2500]);
    expect(byMetric.fcp?.band).toBe('needs_improvement');
    expect(p75Bracket(of('ttfb'))).toEqual([1200, 1250]);
    expectWithin(byMetric.ttfb?.p75, [1200, 1250]);
    expect(byMetric.ttfb?.band).toBe('needs_improvement');
  });

  it('counts every load in exactly one band, with the web-vitals thresholds inclusive of "good"', async () => {
    const res = await engine.run(site, { site_id: site.domain, ...RANGE }, { now: NOW });
    const byMetric = Object.fromEntries(res.summary.map((s) => [s.metric, s]));
    // LCP: /home ≤ 2500 for i ≤ 30 (31 good, 9 NI); /slow ≤ 4000 for i ≤ 5 (6 NI), 14 poor.
    expect(byMetric.lcp).toMatchObject({ good: 31, needs_improvement: 15, poor: 14 });
    // INP (measured only): /home 50 + 10i ≤ 200 for i ≤ 15 minus the unmeasured i = 3, 7, 11, 15
    // → 12 good; the other 18 of /home's 30 are ≤ 440 → NI; /slow 300 + 20i ≤ 500 for i ≤ 10 → 11 NI, 9 poor.
    expect(byMetric.inp).toMatchObject({ good: 12, needs_improvement: 29, poor: 9 });
    // CLS: /home 0.00..0.10 good (11, 0.10 included), 0.11..0.25 NI (15), 0.26..0.39 poor (14);
    // /slow 0.20..0.25 NI (6), 0.26..0.39 poor (14).
    expect(byMetric.cls).toMatchObject({ good: 11, needs_improvement: 21, poor: 28 });
    // TTFB: /home 100 + 20i ≤ 800 for i ≤ 35 (36 good, 4 NI); /slow 1000 + 50i ≤ 1800 for i ≤ 16 → 17 NI, 3 poor.
    expect(byMetric.ttfb).toMatchObject({ good: 36, needs_improvement: 21, poor: 3 });
    for (const s of res.summary) expect(s.good + s.needs_improvement + s.poor).toBe(s.samples);
  });

  it('gives a daily trend over every day of the range and the slowest pages first', async () => {
    const res = await engine.run(site, { site_id: site.domain, ...RANGE }, { now: NOW });
    expect(res.trend.map((d) => [d.date, d.samples])).toEqual([
      ['2026-11-20', 40],
      ['2026-11-21', 20],
    ]);
    expectWithin(res.trend[0]?.lcp, [2450, 2500]); // 30th/31st of 40: 1000 + 29·50, + 30·50
    expectWithin(res.trend[1]?.lcp, [5800, 5900]); // 15th/16th of 20: 3000 + 14·200, + 15·200
    expect(res.pages.map((p) => [p.page, p.samples])).toEqual([
      ['/slow', 20],
      ['/home', 40],
    ]);
    expectWithin(res.pages[0]?.ttfb, [1700, 1750]);
    expectWithin(res.pages[1]?.ttfb, [680, 700]);
    expect(res.meta.date_range).toEqual(['2026-11-20T00:00:00+00:00', '2026-11-21T23:59:59+00:00']);
    const week = await engine.run(site, { site_id: site.domain, date_range: '7d' }, { now: NOW });
    expect(week.trend).toHaveLength(7);
    expect(week.trend[0]).toMatchObject({ date: '2026-11-15', samples: 0, lcp: null, cls: null });
  });

  it('applies the dashboard filters (page with wildcards, device, country, browser; not, or)', async () => {
    const run = async (filters: unknown[]) =>
      (await engine.run(site, { site_id: site.domain, ...RANGE, filters }, { now: NOW })).summary[0];
    const mobile = await run([['is', 'visit:device', ['Mobile']]]);
    expect(mobile?.samples).toBe(20);
    expectWithin(mobile?.p75, [5800, 5900]);
    const homePage = await run([['is', 'event:page', ['/h*']]]);
    expect(homePage).toMatchObject({ samples: 40, good: 31, needs_improvement: 9, poor: 0 });
    expectWithin(homePage?.p75, [2450, 2500]);
    expect(await run([['is_not', 'visit:country', ['DE']]])).toMatchObject({ samples: 40 });
    expect(await run([['contains', 'visit:browser', ['fox']]])).toMatchObject({ samples: 20 });
    expect(
      await run([
        [
          'or',
          [
            ['is', 'event:page', ['/home']],
            ['is', 'visit:device', ['Mobile']],
          ],
        ],
      ]),
    ).toMatchObject({ samples: 60 });
    expect(await run([['not', ['is', 'visit:os', ['(not set)']]]])).toMatchObject({ samples: 0, p75: null });
  });

  it('refuses filters on dimensions a vitals row does not have, and unknown fields', async () => {
    await expect(
      engine.run(site, { site_id: site.domain, ...RANGE, filters: [['is', 'visit:source', ['Google']]] }),
    ).rejects.toThrow(QueryValidationError);
    await expect(
      engine.run(site, { site_id: site.domain, ...RANGE, filters: [['is', 'visit:source', ['Google']]] }),
    ).rejects.toThrow(/filters\[0\]\[1\]: web vitals cannot be filtered by visit:source/);
    await expect(engine.run(site, { site_id: site.domain, ...RANGE, metrics: ['lcp'] })).rejects.toThrow(
      /metrics: unknown field/,
    );
    await expect(engine.run(site, { site_id: site.domain, date_range: 'forever' })).rejects.toThrow(
      QueryValidationError,
    );
  });
});
