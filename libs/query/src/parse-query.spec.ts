import { describe, expect, it } from 'vitest';
import { authorizeSite } from './authorized-site';
import { parseQuery } from './parse-query';
import { QueryValidationError } from './query-validation.error';

const site = authorizeSite({ id: 1, domain: 'example.com', timezone: 'Europe/Berlin' });
const now = new Date('2026-11-22T12:00:00Z');
const base = { site_id: 'example.com', metrics: ['visitors'], date_range: '7d' };

function fieldOf(request: unknown): string {
  try {
    parseQuery(site, request, { now });
  } catch (e) {
    if (e instanceof QueryValidationError) return e.field;
    throw e;
  }
  throw new Error('expected a QueryValidationError');
}

describe('parseQuery', () => {
  it('applies defaults and resolves time', () => {
    const q = parseQuery(site, { ...base, dimensions: ['time'] }, { now });
    expect(q.dimensions).toEqual(['time:day']);
    expect(q.limit).toBe(10_000);
    expect(q.offset).toBe(0);
    expect(q.source).toBe('events');
    expect(q.range.firstDate).toBe('2026-11-16');
  });

  it('uses the sessions source for visit dimensions and session metrics', () => {
    expect(parseQuery(site, { ...base, dimensions: ['visit:source'] }, { now }).source).toBe('sessions');
    expect(parseQuery(site, { ...base, metrics: ['bounce_rate'] }, { now }).source).toBe('sessions');
    expect(parseQuery(site, { ...base, metrics: ['visits', 'events'] }, { now }).source).toBe('events');
  });

  it('flattens top-level "and" filters into clauses and remembers where each was', () => {
    const q = parseQuery(
      site,
      {
        ...base,
        filters: [
          ['is', 'event:page', ['/']],
          ['and', [['contains', 'visit:source', ['oo']]]],
        ],
      },
      { now },
    );
    expect(q.filters.map((f) => [f.scope, f.field])).toEqual([
      ['event', 'filters[0]'],
      ['visit', 'filters[1][1][0]'],
    ]);
  });

  it('keeps "or" and "not" as one clause of a single scope', () => {
    const q = parseQuery(
      site,
      {
        ...base,
        filters: [
          [
            'or',
            [
              ['is', 'visit:country', ['DE']],
              ['not', ['contains', 'visit:source', ['oo']]],
            ],
          ],
        ],
      },
      { now },
    );
    expect(q.filters).toHaveLength(1);
    expect(q.filters[0]?.scope).toBe('visit');
    expect(q.filters[0]?.node.type).toBe('or');
  });

  it.each([
    [{ ...base, metrics: [] }, 'metrics'],
    [{ ...base, metrics: ['visitors', 'nope'] }, 'metrics[1]'],
    [{ ...base, metrics: ['visitors', 'visitors'] }, 'metrics[1]'],
    [{ ...base, date_range: 'fortnight' }, 'date_range'],
    [{ ...base, date_range: ['2026-01-01', 'x'] }, 'date_range[1]'],
    [{ ...base, dimensions: ['visit:planet'] }, 'dimensions[0]'],
    [{ ...base, dimensions: ['time:day', 'time:hour'] }, 'dimensions[1]'],
    [{ ...base, dimensions: ['event:page', 'visit:source'] }, 'dimensions[1]'],
    [{ ...base, date_range: 'year', dimensions: ['time:hour'] }, 'dimensions[0]'],
    [{ ...base, filters: [['equals', 'event:page', ['/']]] }, 'filters[0][0]'],
    [{ ...base, filters: [['is', 'event:nope', ['/']]] }, 'filters[0][1]'],
    [{ ...base, filters: [['is', 'event:page', []]] }, 'filters[0][2]'],
    [{ ...base, filters: [['is', 'event:page', [1]]] }, 'filters[0][2][0]'],
    [
      {
        ...base,
        filters: [
          [
            'and',
            [
              ['is', 'visit:os', ['Linux']],
              ['is', 'time:day', ['x']],
            ],
          ],
        ],
      },
      'filters[0][1][1][1]',
    ],
    [{ ...base, filters: ['oops'] }, 'filters[0]'],
    [{ ...base, filters: [['or', []]] }, 'filters[0][1]'],
    [{ ...base, filters: [['not', ['is', 'event:page', ['/']], 'extra']] }, 'filters[0]'],
    [{ ...base, filters: [['not', ['is', 'event:nope', ['/']]]] }, 'filters[0][1][1]'],
    [
      // An "or" across levels (each event vs each session) has no meaning: refused at the odd leaf.
      {
        ...base,
        filters: [
          [
            'or',
            [
              ['is', 'event:page', ['/']],
              ['is', 'visit:country', ['DE']],
            ],
          ],
        ],
      },
      'filters[0][1][1]',
    ],
    [{ ...base, metrics: ['visitors', 'conversion_rate'] }, 'metrics[1]'],
    [
      { ...base, metrics: ['group_conversion_rate'], filters: [['is', 'event:goal', ['Signup']]] },
      'metrics[0]',
    ],
    [
      {
        ...base,
        metrics: ['conversion_rate'],
        dimensions: ['time:day', 'visit:source'],
        filters: [['is', 'event:goal', ['Signup']]],
      },
      'metrics[0]',
    ],
    [{ ...base, metrics: ['visitors', 'bounce_rate'], dimensions: ['event:page'] }, 'metrics[1]'],
    [{ ...base, order_by: [['pageviews', 'desc']] }, 'order_by[0][0]'],
    [{ ...base, order_by: [['visitors', 'up']] }, 'order_by[0][1]'],
    [{ ...base, pagination: { limit: 0 } }, 'pagination.limit'],
    [{ ...base, pagination: { limit: 10, offset: -1 } }, 'pagination.offset'],
    [{ ...base, include: { time_labels: true } }, 'include.time_labels'],
    [{ ...base, include: { comparisons: { mode: 'last_week' } } }, 'include.comparisons.mode'],
    [{ ...base, interval: 'date' }, 'interval'],
    [{ metrics: ['visitors'], date_range: 'day' }, 'site_id'],
    ['not an object', 'body'],
  ])('rejects %j at %s', (request, field) => {
    expect(fieldOf(request)).toBe(field);
  });

  it('accepts conversion_rate with a goal filter', () => {
    const q = parseQuery(
      site,
      { ...base, metrics: ['visitors', 'conversion_rate'], filters: [['is', 'event:goal', ['Signup']]] },
      { now },
    );
    expect(q.metrics).toEqual(['visitors', 'conversion_rate']);
  });
});
