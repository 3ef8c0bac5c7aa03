import { describe, expect, it } from 'vitest';
import { allowedIntervals, parseDashboardState, setFilter, withDashboardState } from './dashboard-params';

const parse = (query: string) => parseDashboardState(new URLSearchParams(query));

describe('dashboard state in the URL', () => {
  it('defaults to the last 30 days of visitors by day', () => {
    expect(parse('')).toEqual({
      period: '30d',
      from: null,
      to: null,
      filters: [],
      metric: 'visitors',
      interval: 'day',
      compare: false,
    });
  });

  it('round-trips a shared view: range, filters (values with commas), metric, interval, comparison', () => {
    const query = withDashboardState(new URLSearchParams(), {
      period: '12mo',
      filters: [
        ['is', 'visit:country', ['DE']],
        ['is_not', 'event:page', ['/a,b']],
        ['contains_not', 'visit:utm_campaign', ['spring']],
      ],
      metric: 'pageviews',
      interval: 'week',
      compare: true,
    });
    expect(parse(query)).toEqual({
      period: '12mo',
      from: null,
      to: null,
      filters: [
        ['is', 'visit:country', ['DE']],
        ['is_not', 'event:page', ['/a,b']],
        ['contains_not', 'visit:utm_campaign', ['spring']],
      ],
      metric: 'pageviews',
      interval: 'week',
      compare: true,
    });
  });

  it('ignores hand-edited nonsense instead of sending it to the API', () => {
    const state = parse(
      'period=decade&metric=revenue&interval=minute&f=equals,event:page,/x&f=is,visit:ip,1.2.3.4&f=is',
    );
    expect(state.period).toBe('30d');
    expect(state.metric).toBe('visitors');
    expect(state.interval).toBe('day');
    expect(state.filters).toEqual([]);
  });

  it('keeps a custom range only with two valid dates, in order', () => {
    expect(parse('period=custom&from=2026-11-20&to=2026-11-01')).toMatchObject({
      period: 'custom',
      from: '2026-11-01',
      to: '2026-11-20',
    });
    expect(parse('period=custom&from=2026-11-20').period).toBe('30d');
    expect(parse('period=custom&from=yesterday&to=today').period).toBe('30d');
  });

  it('offers intervals that fit the range and drops one that does not', () => {
    expect(allowedIntervals('day', null, null)).toEqual(['hour']);
    expect(allowedIntervals('30d', null, null)).toEqual(['day', 'week']);
    expect(allowedIntervals('12mo', null, null)).toEqual(['month', 'week', 'day']);
    expect(allowedIntervals('custom', '2026-01-01', '2026-03-01')).toEqual(['day', 'week', 'month']);
    expect(parse('period=day&interval=month').interval).toBe('hour');
  });

  it('resets the interval when the range changes', () => {
    const query = withDashboardState(new URLSearchParams('period=12mo&interval=week'), { period: 'day' });
    expect(parse(query)).toMatchObject({ period: 'day', interval: 'hour' });
  });

  it('replaces a filter with the same operator on the same dimension, keeps the others', () => {
    const filters = setFilter(
      [
        ['is', 'event:page', ['/a']],
        ['contains', 'event:page', ['blog']],
      ],
      ['is', 'event:page', ['/b']],
    );
    expect(filters).toEqual([
      ['contains', 'event:page', ['blog']],
      ['is', 'event:page', ['/b']],
    ]);
  });

  it('offers conversion metrics only under a goal filter', () => {
    expect(parse('f=is,event:name,Signup&metric=conversion_rate').metric).toBe('conversion_rate');
    expect(parse('f=is,event:name,Signup&metric=bounce_rate').metric).toBe('visitors');
    expect(parse('metric=conversion_rate').metric).toBe('visitors');
    expect(parse('f=is_not,event:name,Signup&metric=conversion_rate').metric).toBe('visitors');
  });
});
