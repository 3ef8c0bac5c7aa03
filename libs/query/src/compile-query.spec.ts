import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorizeSite } from './authorized-site';
import {
  compileCurrentVisitors,
  compileQuery,
  compileRowsInRange,
  compileSiteStatus,
  compileTotalRows,
} from './compile-query';
import { chooseTable } from './table-decider';
import { parseQuery } from './parse-query';
import { QueryValidationError } from './query-validation.error';
import { randomQueryRequest } from '../test/query-arbitraries';

const now = new Date('2026-11-22T12:00:00Z');

/** Every scan of a site table (raw events, sampled, the hourly rollup, sessions) must be immediately scoped to the site. */
function assertScoped(text: string, siteId: number): void {
  const scans = [...text.matchAll(/FROM\s+(?:events(?:_hourly)?|sessions)(?:\s+SAMPLE\s+1\/\d+)?(?![\w/])/g)];
  expect(scans.length).toBeGreaterThan(0);
  for (const scan of scans) {
    const after = text.slice((scan.index ?? 0) + scan[0].length);
    expect(after).toMatch(new RegExp(`^\\s+WHERE site_id = ${siteId}(?!\\d)`));
  }
  // Outside string literals (filter values may mention anything), no other site condition exists.
  const code = text.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  for (const m of code.matchAll(/site_id\s*(\S+)\s*([^\s)]+)/g))
    expect([m[1], m[2]]).toEqual(['=', String(siteId)]);
}

describe('compiled SQL is scoped to the authorized site', () => {
  it('holds for many random valid queries', () => {
    let compiled = 0;
    fc.assert(
      fc.property(randomQueryRequest, fc.integer({ min: 1, max: 2 ** 40 }), (request, siteId) => {
        // Kolkata's half-hour offset keeps queries on raw events; Berlin's lets the rollup answer some.
        const timezone = siteId % 2 === 0 ? 'Asia/Kolkata' : 'Europe/Berlin';
        const site = authorizeSite({ id: siteId, domain: 'example.com', timezone });
        let q;
        try {
          q = parseQuery(site, request, { now, firstEventAt: new Date('2026-01-01T00:00:00Z') });
        } catch (e) {
          if (e instanceof QueryValidationError) return; // an invalid combination: nothing is compiled
          throw e;
        }
        compiled++;
        assertScoped(compileQuery(q).text, siteId);
        assertScoped(compileTotalRows(q).text, siteId);
        assertScoped(compileQuery(q, { paginate: false, restrictTo: [['x', "y'"]] }).text, siteId);
        assertScoped(compileQuery(q, { sample: 7 }).text, siteId);
        const table = chooseTable(q, q.range, { rollups: true });
        assertScoped(compileQuery(q, { table }).text, siteId);
      }),
      { numRuns: 500 },
    );
    expect(compiled).toBeGreaterThan(100);
  }, 60_000);

  it('holds for the auxiliary statements', () => {
    const site = authorizeSite({ id: 42, domain: 'example.com', timezone: 'UTC' });
    assertScoped(compileCurrentVisitors(site, now).text, 42);
    assertScoped(compileSiteStatus(site).text, 42);
    assertScoped(compileRowsInRange(site, { from: now, to: new Date(now.getTime() + 3_600_000) }).text, 42);
  });

  it('escapes filter values instead of splicing them', () => {
    const site = authorizeSite({ id: 7, domain: 'example.com', timezone: 'UTC' });
    const q = parseQuery(
      site,
      {
        site_id: 'example.com',
        metrics: ['visitors'],
        date_range: 'day',
        filters: [['is', 'event:page', ["/x' OR site_id = 8 --"]]],
      },
      { now },
    );
    const text = compileQuery(q).text;
    expect(text).toContain("pathname IN ('/x\\' OR site_id = 8 --')");
    assertScoped(text, 7);
  });

  it('refuses a site that was not authorized', () => {
    expect(() => authorizeSite({ id: 0, domain: 'x', timezone: 'UTC' })).toThrow();
    expect(() => authorizeSite({ id: 1, domain: 'x', timezone: 'Not/AZone' })).toThrow();
  });
});
