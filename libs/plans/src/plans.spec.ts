import { describe, expect, it } from 'vitest';
import { PLAN_GENERATIONS, currentPlans, planMisfits, planOf, smallestFittingPlan } from './plans';

describe('plans', () => {
  it('is frozen: a published plan cannot be changed at run time', () => {
    const free = planOf('free');
    expect(Object.isFrozen(free)).toBe(true);
    expect(Object.isFrozen(free.features)).toBe(true);
    expect(() => {
      (free as { monthlyEventQuota: number }).monthlyEventQuota = 1e12;
    }).toThrow(TypeError);
    expect(planOf('free').monthlyEventQuota).toBe(10_000);
  });

  it('sells free, basic and premium, each larger than the one before', () => {
    const plans = currentPlans();
    expect(plans.map((p) => p.code)).toEqual(['free', 'basic', 'premium']);
    for (let i = 1; i < plans.length; i++) {
      const [prev, cur] = [plans[i - 1]!, plans[i]!];
      expect(cur.monthlyEventQuota).toBeGreaterThan(prev.monthlyEventQuota);
      expect(cur.siteLimit).toBeGreaterThanOrEqual(prev.siteLimit);
      expect(cur.displayPrice.monthly).toBeGreaterThan(prev.displayPrice.monthly);
    }
    expect(new Set(PLAN_GENERATIONS.map((p) => `${p.code}@${p.generation}`)).size).toBe(
      PLAN_GENERATIONS.length,
    );
  });

  it('keeps old generations: an unknown newer generation falls back to the newest published one', () => {
    expect(planOf('basic', 1).generation).toBe(1);
    expect(planOf('basic', 99).generation).toBe(1);
  });

  it('names the smallest plan that fits recent usage, and why a smaller one does not', () => {
    expect(smallestFittingPlan({ events: 5_000, sites: 1, members: 1 })?.code).toBe('free');
    expect(smallestFittingPlan({ events: 10_001, sites: 1, members: 1 })?.code).toBe('basic');
    expect(smallestFittingPlan({ events: 10, sites: 60, members: 1 })?.code).toBe('premium');
    expect(smallestFittingPlan({ events: 10_000_000, sites: 1, members: 1 })).toBeNull();
    expect(planMisfits(planOf('basic'), { events: 250_000, sites: 1, members: 11 })).toEqual([
      '250000 events in a recent cycle (quota 100000)',
      '11 members (limit 10)',
    ]);
  });
});
