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
    ['UTC', { metrics: ['pageviews'] }, 'events_hourly', null],
    ['Europe/Berlin', { metrics: ['pageviews', 'events'] }, 'events_hourly', null],
    ['Europe/Berlin', { metrics: ['events'], dimensions: ['time:day'] }, 'events_hourly', null],
    ['America/New_York', { metrics: ['pageviews'], dimensions: ['time:week'] }, 'events_hourly', null],
    ['UTC', { metrics: ['pageviews'], date_range: 'day', dimensions: ['time:hour'] }, 'events_hourly', null],
    ['UTC', { metrics: ['visitors'] }, 'events', 'metric visitors'],
    ['Europe/Berlin', { metrics: ['pageviews', 'visits'] }, 'events', 'metric visits'],
    ['Asia/Kolkata', { metrics: ['pageviews'] }, 'events', 'range not on whole hours'],
    [
      'Asia/Kathmandu',
      { metrics: ['events'], dimensions: ['time:day'] },
      'events',
      'range not on whole hours',
    ],
    ['UTC', { metrics: ['bounce_rate'] }, 'events', 'needs sessions'],
    ['UTC', { metrics: ['visitors'], dimensions: ['visit:source'] }, 'events', 'needs sessions'],
    ['UTC', { metrics: ['pageviews'], dimensions: ['event:page'] }, 'events', 'dimension event:page'],
    ['UTC', { metrics: ['pageviews'], filters: [['is', 'event:page', ['/']]] }, 'events', 'has filters'],
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
    expect(decide('UTC', { metrics: ['pageviews'] }, false).table).toBe('events');
  });
});

describe('sampleDenominator', () => {
  const policy = { aboveRows: 1_000_000, targetRows: 300_000 };
  it.each([
    [0, policy, null],
    [1_000_000, policy, null],
    [1_000_001, policy, 4],
    [10_000_000, policy, 34],
    [50_000_000, null, null],
    [150, { aboveRows: 100, targetRows: 100 }, 2],
  ])('%i rows, %j → %s', (rows, p, expected) => {
    expect(sampleDenominator(rows, p)).toBe(expected);
  });
});
