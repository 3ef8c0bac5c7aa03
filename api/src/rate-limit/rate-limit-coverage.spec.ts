import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_CONTROLLERS } from '../app.module';
import { routeTable } from '../openapi/route-table';
import { STATE_CHANGING_METHODS, renderRateLimitTable } from './rate-limit-table';

const routes = routeTable(API_CONTROLLERS);

describe('per-route rate limits', () => {
  it('every state-changing route declares a @RateLimit (routes added later must too)', () => {
    const missing = routes
      .filter((r) => STATE_CHANGING_METHODS.has(r.method) && r.rateLimits.length === 0)
      .map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`);
    expect(missing).toEqual([]);
  });

  it('the expensive reads declare one too', () => {
    const expensive = [
      'POST /api/v2/query',
      'GET /api/sites/:domain/realtime',
      'GET /api/sites/:domain/status',
    ];
    for (const name of expensive) {
      const route = routes.find((r) => `${r.method} ${r.path}` === name);
      expect(route, name).toBeDefined();
      expect(route?.rateLimits.length, name).toBeGreaterThan(0);
    }
  });

  it('the README table lists exactly the limits the routes declare', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    const table = renderRateLimitTable(routes);
    // On failure: paste the printed table between the rate-limit markers in README.md.
    const between = /<!-- rate-limits:start -->\n([\s\S]*?)\n<!-- rate-limits:end -->/.exec(readme)?.[1];
    expect(between, `README.md needs this table between the rate-limit markers:\n${table}`).toBe(table);
  });
});
