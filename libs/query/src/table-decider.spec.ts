import { describe, expect, it } from 'vitest';
import { authorizeSite } from './authorized-site';
import { parseQuery } from './parse-query';
import { chooseTable, rollupBlocker, sampleDenominator } from './table-decider';

const now = new Date('2026-03-10T12:00:00Z');

function decide(timezone: string, request: Record<string, unknown>, rollups = true) {
  const site = authorizeSite({ id: 1, domain: 'example.com', timezone });
  const q = parseQuery(site, { site_id: 'example.com', date_range: '30d', ...request }, { now });
  return { table: chooseTable(q, q.range, { rollups }), blocker: rollupBlocker(q, q.range) };
}

describe('chooseTable', () => {
  it.each([
    // [zone, request, table, why not the rollup]
    ['UTC', { metrics: ['visitors'] }, 'events_hourly', null],
    ['Europe/Berlin', { metrics: ['visitors', 'visits', 'pageviews', 'events'] }, 'events_hourly', null],
    ['Europe/Berlin', { metrics: ['visitors'], dimensions: ['time:day'] }, 'events_hourly', null],
    ['America/New_York', { metrics: ['pageviews'], dimensions: ['time:week'] }, 'events_hourly', null],
    ['UTC', { metrics: ['visitors'], date_range: 'day', dimensions: ['time:hour'] }, 'events_hourly', null],
    ['Asia/Kolkata', { metrics: ['visitors'] }, 'events', 'range not on whole hours'],
    [
      'Asia/Kathmandu',
      { metrics: ['visitors'], dimensions: ['time:day'] },
      'events',
      'range not on whole hours',
    ],
    ['UTC', { metrics: ['bounce_rate'] }, 'events', 'needs sessions'],
    ['UTC', { metrics: ['visitors'], dimensions: ['visit:source'] }, 'events', 'needs sessions'],
    ['UTC', { metrics: ['visitors'], dimensions: ['event:page'] }, 'events', 'dimension event:page'],
    ['UTC', { metrics: ['visitors'], filters: [['is', 'event:page', ['/']]] }, 'events', 'has filters'],
    [
      'UTC',
      { metrics: ['conversion_rate'], filters: [['is', 'event:goal', ['Signup']]] },
      'events',
      'has filters',
    ],
  ] as const)('%s %j → %s', (timezone, request, table, blocker) => {
    expect(decide(timezone, request)).toEqual({ table, blocker });
  });

  it('uses raw events only when rollups are off', () => {
    expect(decide('UTC', { metrics: ['visitors'] }, false).table).toBe('events');
  });
});

describe('sampleDenominator', () => {
  it.each([
    [0, 1_000_000, null],
    [1_000_000, 1_000_000, null],
    [1_000_001, 1_000_000, 2],
    [10_000_000, 1_000_000, 10],
    [10_400_000, 1_000_000, 11],
    [50_000_000, null, null],
  ])('%i rows, threshold %s → %s', (rows, above, expected) => {
    expect(sampleDenominator(rows, above)).toBe(expected);
  });
});
