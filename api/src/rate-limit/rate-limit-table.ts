import type { RouteInfo } from '../openapi/route-table';
import { describeRateLimit } from './rate-limit.decorator';

export const STATE_CHANGING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Limits enforced outside the HTTP route table (WebSocket upgrades), listed in the same table. */
export const EXTRA_LIMIT_ROWS: readonly string[] = [
  '| `GET /api/realtime` (WebSocket) | session | 30 / minute per user; at most `REALTIME_SOCKETS_PER_USER` (10) open per user |',
];

/** The README's "Rate limits" table, generated from the route table so it cannot drift. */
export function renderRateLimitTable(routes: readonly RouteInfo[]): string {
  const rows = [...routes]
    .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))
    .map((r) => {
      const limits = r.rateLimits.length ? r.rateLimits.map(describeRateLimit).join('; ') : '—';
      return `| \`${r.method} ${r.path}\` | ${r.endpoint?.access ?? 'session'} | ${limits} |`;
    });
  return ['| route | access | limit |', '|---|---|---|', ...rows, ...EXTRA_LIMIT_ROWS].join('\n');
}
