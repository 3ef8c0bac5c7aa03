import { afterAll, describe, expect, it } from 'vitest';
import { authorizeSite, WebVitalsEngine } from '@sightline/query';
import { TestContext } from '@sightline/testing';
import { seedDemoVitals } from './seed-demo-vitals';

describe('seedDemoVitals', () => {
  const ctx = new TestContext();
  afterAll(() => ctx.close());

  it('fills the Performance panel once, through the real enrichment and insert', async () => {
    const site = await ctx.newSite({ timezone: 'Europe/Berlin' });
    const end = new Date('2026-11-22T00:00:00Z');
    const traffic = { domain: site.domain, end, days: 3, seed: 11 };
    const inserted = await seedDemoVitals(ctx.clickhouse, site.id, traffic);
    expect(inserted).toBeGreaterThan(50);
    expect(await seedDemoVitals(ctx.clickhouse, site.id, traffic)).toBe(0); // already seeded

    const engine = new WebVitalsEngine(ctx.clickhouse);
    const res = await engine.run(
      authorizeSite({ id: site.id, domain: site.domain, timezone: 'Europe/Berlin' }),
      { site_id: site.domain, date_range: ['2026-11-18', '2026-11-22'] },
      { now: end },
    );
    const lcp = res.summary.find((s) => s.metric === 'lcp');
    expect(Math.max(...res.summary.map((s) => s.samples))).toBe(inserted);
    expect(lcp?.p75).toBeGreaterThan(1000);
    expect(res.pages.length).toBeGreaterThan(3);
    expect(res.trend.reduce((sum, d) => sum + d.samples, 0)).toBe(inserted);
    const devices = await ctx.clickhouse.query({
      query: `SELECT DISTINCT device FROM web_vitals WHERE site_id = ${site.id} ORDER BY device`,
      format: 'JSONEachRow',
    });
    expect((await devices.json<{ device: string }>()).map((d) => d.device)).toContain('Mobile');
  });
});
