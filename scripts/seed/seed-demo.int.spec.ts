import { afterAll, describe, expect, it } from 'vitest';
import { IMPORTED_TABLES } from '@sightline/clickhouse';
import { authorizeSite, FunnelRunner, QueryEngine, WebVitalsEngine, type FunnelStep } from '@sightline/query';
import { TestContext } from '@sightline/testing';
import { effectivePlan, planHasFeature, PLAN_CODES, type PlanCode } from '@sightline/plans';
import { DEMO_FUNNELS, ensureDemoPlan, seedDemoEvents, seedDemoFunnels } from './seed-demo';
import { demoPlausibleExport } from './seed-demo-import';
import { seedDemoVitals } from './seed-demo-vitals';

/**
 * Issue 12's "done when": after `npm start` a newcomer sees every panel of the demo dashboard
 * filled. The seed's steps, run on a fresh site (a week instead of 60 days), answered by the real
 * query engines: custom properties and revenue (Goals › Properties), engagement (Top pages Scroll
 * and Time), both funnels, web vitals (Performance), and an import for every imported_* table.
 */
describe('demo seed completeness', () => {
  const ctx = new TestContext();
  afterAll(() => ctx.close());

  it('fills Goals › Properties, revenue, engagement, the funnels, Performance and the imported history', async () => {
    const site = await ctx.newSite({ timezone: 'Europe/Berlin' });
    const end = new Date('2026-11-22T00:00:00Z');
    const traffic = { domain: site.domain, end, days: 7 };
    expect(await seedDemoEvents(ctx.clickhouse, site.id, traffic)).toBeGreaterThan(1000);
    expect(await seedDemoEvents(ctx.clickhouse, site.id, traffic)).toBe(0); // already seeded
    expect(await seedDemoVitals(ctx.clickhouse, site.id, { ...traffic, seed: 20261122 })).toBeGreaterThan(
      100,
    );
    const pool = {
      query: async (text: string, params?: unknown[]) => (await ctx.pool.query(text, params)).rows,
    };
    // The demo org's plan has every feature the demo shows (funnels, shared link, email reports).
    await ensureDemoPlan(pool, site.orgId);
    await ensureDemoPlan(pool, site.orgId); // idempotent
    const profile = await ctx.pool.query<{ plan_code: PlanCode; subscription_status: string | null }>(
      'SELECT plan_code, subscription_status FROM billing_profiles WHERE org_id = $1',
      [site.orgId],
    );
    const row = profile.rows[0];
    expect(row && PLAN_CODES.includes(row.plan_code)).toBe(true);
    const plan = effectivePlan(
      row
        ? {
            planCode: row.plan_code,
            planGeneration: 1,
            subscriptionStatus: row.subscription_status,
            currentPeriodEnd: null,
          }
        : null,
      new Date(),
    );
    for (const feature of ['funnels', 'shared_links', 'email_reports', 'stats_api'] as const)
      expect(planHasFeature(plan, feature), feature).toBe(true);

    await seedDemoFunnels(pool, site.id);
    await seedDemoFunnels(pool, site.id); // idempotent
    const stored = await ctx.pool.query<{ name: string; steps: FunnelStep[] }>(
      'SELECT name, steps FROM funnels WHERE site_id = $1 ORDER BY name',
      [site.id],
    );
    expect(stored.rows.map((f) => f.name)).toEqual(['Docs to app', 'Signup']);

    const authorized = authorizeSite({ id: site.id, domain: site.domain, timezone: 'Europe/Berlin' });
    const engine = new QueryEngine(ctx.clickhouse, { sampleAboveRows: null });
    const period = { site_id: site.domain, date_range: ['2026-11-15', '2026-11-21'] };
    const purchase = ['is', 'event:goal', ['Purchase']];

    // Goals › Properties: the keys of a goal, and values with visitors.
    const keys = await engine.propertyKeys(authorized, { ...period, filters: [purchase] });
    expect(keys.map((k) => k.key).sort()).toEqual(['billing', 'plan']);
    const plans = await engine.run(authorized, {
      ...period,
      metrics: ['visitors'],
      dimensions: ['event:props:plan'],
      filters: [['is', 'event:goal', ['Signup']]],
    });
    expect(plans.results.map((r) => r.dimensions[0]).sort()).toEqual(['free', 'pro']);
    // Revenue of the Purchase goal.
    const revenue = await engine.run(authorized, {
      ...period,
      metrics: ['total_revenue'],
      filters: [purchase],
    });
    const total = revenue.results[0]?.metrics[0] as number | { value: number } | undefined;
    expect(typeof total === 'object' && total !== null ? total.value : Number(total)).toBeGreaterThan(0);
    // Top pages' Scroll and Time columns.
    const pages = await engine.run(authorized, {
      ...period,
      metrics: ['scroll_depth', 'time_on_page'],
      dimensions: ['event:page'],
      filters: [['is', 'event:page', ['/']]],
    });
    const [scroll, time] = (pages.results[0]?.metrics ?? []) as (number | null)[];
    expect(scroll).toBeGreaterThan(0);
    expect(time).toBeGreaterThan(0);

    // Both funnels: visitors reach the last step.
    const runner = new FunnelRunner(ctx.clickhouse);
    for (const funnel of DEMO_FUNNELS) {
      const result = await runner.run(
        authorized,
        { id: funnel.name, name: funnel.name, steps: [...funnel.steps] },
        { date_range: period.date_range },
      );
      expect(result.steps.at(-1)?.visitors, funnel.name).toBeGreaterThan(0);
    }

    // Performance.
    const vitals = await new WebVitalsEngine(ctx.clickhouse).run(authorized, period);
    expect(vitals.summary.every((s) => s.samples > 0)).toBe(true);

    // The imported history (queued by the seed, read by the workers' import job like any upload):
    // one Plausible export file per imported_* table, with rows.
    const files = demoPlausibleExport(new Date('2026-09-23T00:00:00Z'));
    for (const table of IMPORTED_TABLES) {
      const file = Object.keys(files).find((name) => name.startsWith(`${table}_`));
      expect(file, table).toBeDefined();
      expect((files[file ?? ''] ?? '').trim().split('\n').length, table).toBeGreaterThan(1);
    }
  });
});
