import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GRACE_DAYS,
  OK_STATE,
  evaluateQuota,
  extendGrace,
  overQuotaReason,
  supportUnlock,
  type QuotaMail,
  type QuotaState,
  type UsageCycle,
} from './quota-state-machine';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const CYCLE_DAYS = 30;

interface Step {
  day: number;
  state: QuotaState;
  mails: QuotaMail[];
  current: UsageCycle;
  closed: UsageCycle[];
  quota: number;
}

/**
 * Runs the machine once a day over a usage history: `daily[c][d]` events on day d of cycle c
 * (cycles of 30 days), with `quotaFor(day)` (plan changes), recording mails as the job would.
 */
function simulate(daily: number[][], quotaFor: (day: number) => number): Step[] {
  let state: QuotaState = OK_STATE;
  const sent = new Set<string>();
  const steps: Step[] = [];
  const closed: UsageCycle[] = [];
  for (let c = 0; c < daily.length; c++) {
    const start = new Date(T0 + c * CYCLE_DAYS * DAY);
    const end = new Date(start.getTime() + CYCLE_DAYS * DAY);
    let events = 0;
    for (let d = 0; d < CYCLE_DAYS; d++) {
      events += daily[c]?.[d] ?? 0;
      const day = c * CYCLE_DAYS + d;
      const now = new Date(T0 + day * DAY + DAY / 2);
      const current = { start, end, events };
      const quota = quotaFor(day);
      const decision = evaluateQuota({ now, quota, current, closed: [...closed], state, sentMailKeys: sent });
      for (const mail of decision.mails) {
        expect(sent.has(mail.key), `mail ${mail.key} sent twice`).toBe(false);
        sent.add(mail.key);
      }
      state = decision.next;
      steps.push({ day, state, mails: decision.mails, current, closed: [...closed], quota });
    }
    closed.unshift({ start, end, events });
  }
  return steps;
}

const flat = (percentOfQuota: number, cycles: number, quota = 10_000) => {
  const perDay = Math.round((quota * percentOfQuota) / 100 / CYCLE_DAYS);
  return Array.from({ length: cycles }, () => Array<number>(CYCLE_DAYS).fill(perDay));
};

describe('quota state machine (table)', () => {
  const quota = 10_000; // the free plan's quota

  it('stays ok and sends nothing under 80 %', () => {
    const steps = simulate(flat(70, 4), () => quota);
    expect(steps.every((s) => s.state.state === 'ok')).toBe(true);
    expect(steps.flatMap((s) => s.mails)).toEqual([]);
  });

  it('mails at 80 % and 100 % once per cycle, without grace when only slightly over', () => {
    const steps = simulate(flat(105, 3), () => quota); // 105 % a cycle: over, but within the 10 % margin
    const kinds = steps.flatMap((s) => s.mails.map((m) => `${Math.floor(s.day / CYCLE_DAYS)}:${m.kind}`));
    expect(kinds).toEqual([
      '0:usage_80',
      '0:usage_100',
      '1:usage_80',
      '1:usage_100',
      '2:usage_80',
      '2:usage_100',
    ]);
    expect(steps.every((s) => s.state.state === 'ok')).toBe(true);
  });

  it('starts grace when the last two closed cycles are over quota + 10 %, locks after 7 days with a reminder 2 days before', () => {
    const steps = simulate(flat(120, 3), () => quota);
    const grace = steps.find((s) => s.state.state === 'grace');
    expect(grace?.day).toBe(2 * CYCLE_DAYS); // first evaluation after the second cycle closed
    const exceeded = grace?.mails.find((m) => m.kind === 'quota_exceeded');
    expect(exceeded).toMatchObject({ quota, suggestedPlan: 'Basic' });
    expect(exceeded?.kind === 'quota_exceeded' && exceeded.reason).toMatch(/12,000 and 12,000 events/);
    const reminder = steps.find((s) => s.mails.some((m) => m.kind === 'grace_reminder'));
    expect(reminder?.day).toBe(2 * CYCLE_DAYS + GRACE_DAYS - 2);
    const locked = steps.find((s) => s.state.state === 'locked');
    expect(locked?.day).toBe(2 * CYCLE_DAYS + GRACE_DAYS);
    expect(locked?.mails.map((m) => m.kind)).toEqual(['capacity_depleted']);
  });

  it('starts grace at once when the current cycle passes twice the quota (abuse valve)', () => {
    const daily = [[...Array<number>(5).fill(4100), ...Array<number>(25).fill(0)]];
    const steps = simulate(daily, () => quota);
    expect(steps.find((s) => s.state.state === 'grace')?.day).toBe(4); // 20,500 > 20,000 on day 5
  });

  it('unlocks at once on an upgrade that fits, and when a cycle closes under the quota', () => {
    const upgraded = simulate(flat(120, 4), (day) => (day >= 2 * CYCLE_DAYS + 10 ? 100_000 : quota));
    expect(upgraded[2 * CYCLE_DAYS + 9]?.state.state).toBe('locked');
    expect(upgraded[2 * CYCLE_DAYS + 10]?.state.state).toBe('ok');
    expect(upgraded.slice(2 * CYCLE_DAYS + 10).every((s) => s.state.state === 'ok')).toBe(true);

    const calmed = simulate([...flat(120, 2), ...flat(50, 2)], () => quota);
    expect(calmed[2 * CYCLE_DAYS + 20]?.state.state).toBe('locked');
    expect(calmed[3 * CYCLE_DAYS]?.state.state).toBe('ok'); // the third cycle closed at half the quota
  });

  it('lets support extend a grace period and unlock a locked org', () => {
    const now = new Date(T0);
    const grace: QuotaState = {
      state: 'grace',
      reason: 'r',
      graceStartedAt: now,
      graceEndsAt: new Date(T0 + 7 * DAY),
      lockedAt: null,
    };
    expect(extendGrace(grace, 3).graceEndsAt?.getTime()).toBe(T0 + 10 * DAY);
    const locked: QuotaState = { ...grace, state: 'locked', lockedAt: new Date(T0 + 7 * DAY) };
    const unlocked = supportUnlock(locked, new Date(T0 + 8 * DAY), 5);
    expect(unlocked).toMatchObject({ state: 'grace', lockedAt: null, reason: 'unlocked by support; r' });
    expect(unlocked.graceEndsAt?.getTime()).toBe(T0 + 13 * DAY);
  });
});

describe('quota state machine (properties over generated usage histories)', () => {
  const history = fc.record({
    quota: fc.integer({ min: 100, max: 5000 }),
    // Per-cycle daily level as a share of the quota's daily average, with daily noise.
    cycles: fc.array(
      fc.record({
        level: fc.double({ min: 0, max: 3, noNaN: true }),
        noise: fc.array(fc.double({ min: 0, max: 2, noNaN: true }), {
          minLength: CYCLE_DAYS,
          maxLength: CYCLE_DAYS,
        }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    upgradeDay: fc.option(fc.integer({ min: 0, max: 6 * CYCLE_DAYS }), { nil: null }),
  });

  it('holds every rule of the issue on every history', () => {
    fc.assert(
      fc.property(history, ({ quota, cycles, upgradeDay }) => {
        const daily = cycles.map((c) => c.noise.map((n) => Math.round((c.level * n * quota) / CYCLE_DAYS)));
        const quotaFor = (day: number) => (upgradeDay !== null && day >= upgradeDay ? quota * 1000 : quota);
        const steps = simulate(daily, quotaFor);
        let prev: QuotaState = OK_STATE;
        const perCycle = new Map<string, number>();
        for (const s of steps) {
          const kinds = s.mails.map((m) => m.kind);
          for (const m of s.mails) {
            if (m.kind === 'usage_80' || m.kind === 'usage_100') {
              const key = `${m.kind}:${s.current.start.getTime()}`;
              perCycle.set(key, (perCycle.get(key) ?? 0) + 1);
              // Sent only when the cycle reached that share.
              expect(s.current.events).toBeGreaterThanOrEqual((m.percent / 100) * s.quota);
            }
          }
          // Grace starts exactly when the trigger holds, with a "quota exceeded" mail.
          if (prev.state === 'ok' && s.state.state === 'grace') {
            expect(overQuotaReason({ quota: s.quota, current: s.current, closed: s.closed })).not.toBeNull();
            expect(kinds).toContain('quota_exceeded');
            expect(s.state.graceEndsAt!.getTime() - s.state.graceStartedAt!.getTime()).toBe(GRACE_DAYS * DAY);
          }
          if (prev.state === 'ok' && s.state.state === 'ok')
            expect(overQuotaReason({ quota: s.quota, current: s.current, closed: s.closed })).toBeNull();
          // Never locked straight from ok; only after the full grace period, with one mail.
          if (s.state.state === 'locked' && prev.state !== 'locked') {
            expect(prev.state).toBe('grace');
            expect(s.state.lockedAt!.getTime()).toBeGreaterThanOrEqual(prev.graceEndsAt!.getTime());
            expect(kinds).toEqual(expect.arrayContaining(['capacity_depleted']));
          }
          // A plan that fits never leaves the org locked or in grace.
          const peak = Math.max(s.current.events, s.closed[0]?.events ?? 0);
          if (peak <= s.quota && prev.state !== 'ok') expect(s.state.state).toBe('ok');
          // The reminder comes only in the last 2 days of a grace period.
          if (kinds.includes('grace_reminder')) {
            expect(s.state.state).toBe('grace');
            const left = s.state.graceEndsAt!.getTime() - (T0 + s.day * DAY + DAY / 2);
            expect(left).toBeLessThanOrEqual(2 * DAY);
            expect(left).toBeGreaterThan(0);
          }
          prev = s.state;
        }
        // 80 % and 100 % mails at most once per cycle.
        for (const count of perCycle.values()) expect(count).toBe(1);
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
