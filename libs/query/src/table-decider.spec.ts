import { describe, expect, it } from 'vitest';
import { authorizeSite } from './authorized-site';
import { parseQuery } from './parse-query';
import { chooseTable, rollupBlocker, sampleDenominator, sessionsTableBlocker } from './table-decider';

const now = new Date('2026-03-10T12:00:00Z');

function decide(timezone: string, request: Record<string, unknown>, rollups = true) {
  const site = authorizeSite({ id: 1, domain: 'example.com', timezone });
  const q = parseQuery(site, { site_id: 'example.com', date_range: '30d', ...request }, { now });
  return {
    table: chooseTable(q, q.range, { rollups }),
    blocker: rollupBlocker(q, q.range),
    sessionsBlocker: sessionsTableBlocker(q, q.range),
  };
}

describe('chooseTable', () => {
  it.each([
    // [zone, request, table, why not the rollup, why not the sessions table]
    ['UTC', { metrics: ['pageviews'] }, 'events_hourly', null, null],
    ['Europe/Berlin', { metrics: ['pageviews', 'events'] }, 'events_hourly', null, null],
    ['Europe/Berlin', { metrics: ['events'], dimensions: ['time:day'] }, 'events_hourly', null, null],
    ['America/New_York', { metrics: ['pageviews'], dimensions: ['time:week'] }, 'events_hourly', null, null],
    [
      'UTC',
      { metrics: ['pageviews'], date_range: 'day', dimensions: ['time:hour'] },
      'events_hourly',
      null,
      null,
    ],
    ['UTC', { metrics: ['visitors'] }, 'sessions', 'metric visitors', null],
    ['Europe/Berlin', { metrics: ['pageviews', 'visits'] }, 'sessions', 'metric visits', null],
    [
      'Europe/Berlin',
      { metrics: ['visitors'], dimensions: ['time:day'] },
      'sessions',
      'metric visitors',
      null,
    ],
    [
      'Asia/Kolkata',
      { metrics: ['pageviews'] },
      'events',
      'range not on whole hours',
      'range not on whole hours',
    ],
    [
      'Asia/Kathmandu',
      { metrics: ['events'], dimensions: ['time:day'] },
      'events',
      'range not on whole hours',
      'range not on whole hours',
    ],
    ['UTC', { metrics: ['bounce_rate'] }, 'sessions', 'needs sessions', null],
    [
      'Europe/Berlin',
      { metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration', 'views_per_visit'] },
      'sessions',
      'needs sessions',
      null,
    ],
    ['UTC', { metrics: ['visitors'], dimensions: ['visit:source'] }, 'sessions', 'needs sessions', null],
    [
      'Europe/Berlin',
      {
        metrics: ['visitors', 'bounce_rate'],
        dimensions: ['visit:entry_page', 'time:day'],
        filters: [['is', 'visit:source', ['Google']]],
      },
      'sessions',
      'needs sessions',
      null,
    ],
    [
      'UTC',
      { metrics: ['visitors'], filters: [['is', 'visit:country', ['DE']]] },
      'events',
      'has filters',
      'visit filters on event counts',
    ],
    [
      'UTC',
      { metrics: ['pageviews'], dimensions: ['event:page'] },
      'events',
      'dimension event:page',
      'dimension event:page',
    ],
    [
      'UTC',
      { metrics: ['pageviews'], filters: [['is', 'event:page', ['/']]] },
      'events',
      'has filters',
      'has event filters',
    ],
    [
      'UTC',
      { metrics: ['bounce_rate'], filters: [['is', 'event:page', ['/']]] },
      'events',
      'needs sessions',
      'has event filters',
    ],
    [
      'UTC',
      { metrics: ['conversion_rate'], filters: [['is', 'event:goal', ['Signup']]] },
      'events',
      'has filters',
      'metric conversion_rate',
    ],
    [
      'Asia/Kathmandu',
      { metrics: ['visitors'], date_range: 'day', dimensions: ['time:hour'] },
      'events',
      'metric visitors',
      'range not on whole hours',
    ],
  ] as const)('%s %j → %s', (timezone, request, table, blocker, sessionsBlocker) => {
    expect(decide(timezone, request)).toEqual({ table, blocker, sessionsBlocker });
  });

  it('uses raw events only when rollups are off', () => {
    expect(decide('UTC', { metrics: ['pageviews'] }, false).table).toBe('events');
    expect(decide('UTC', { metrics: ['bounce_rate'] }, false).table).toBe('events');
  });

  it('can leave out the sessions table alone', () => {
    const site = authorizeSite({ id: 1, domain: 'example.com', timezone: 'UTC' });
    const q = parseQuery(
      site,
      { site_id: 'example.com', date_range: '30d', metrics: ['bounce_rate'] },
      { now },
    );
    expect(chooseTable(q, q.range, { rollups: true, sessionsTable: false })).toBe('events');
    expect(chooseTable(q, q.range, { rollups: false, sessionsTable: true })).toBe('sessions');
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
