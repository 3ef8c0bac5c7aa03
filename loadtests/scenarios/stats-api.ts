// k6 run loadtests/scenarios/stats-api.ts — the dashboard's widgets as Stats API v2 queries
// (POST /api/v2/query) with a real session: setup() signs in once as the demo user, every VU
// reuses the session cookie. See loadtests/README.md.
import http from 'k6/http';
import { check, sleep } from 'k6';
import type { Options } from 'k6/options';
import { signIn } from './lib/session.ts';
import { API_URL, APP_ORIGIN, SITE } from './lib/targets.ts';
import { statsApi } from './api.options.ts';

export const options: Options = statsApi;

/** What the dashboard's overview page asks for (top stats with comparison, graph, top lists). */
const WIDGETS = [
  {
    metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration'],
    date_range: '30d',
    include: { comparisons: { mode: 'previous_period' } },
  },
  {
    metrics: ['visitors', 'pageviews'],
    date_range: '30d',
    dimensions: ['time:day'],
    include: { time_labels: true },
  },
  { metrics: ['visitors'], date_range: '30d', dimensions: ['visit:source'], pagination: { limit: 9 } },
  {
    metrics: ['visitors', 'pageviews'],
    date_range: '30d',
    dimensions: ['event:page'],
    pagination: { limit: 9 },
  },
  { metrics: ['visitors'], date_range: '30d', dimensions: ['visit:country'], pagination: { limit: 9 } },
  { metrics: ['visitors'], date_range: '30d', dimensions: ['visit:browser'], pagination: { limit: 9 } },
  { metrics: ['visitors'], date_range: '7d', dimensions: ['visit:device'] },
];

export function setup(): { cookie: string } {
  return { cookie: signIn() };
}

export default function (data: { cookie: string }): void {
  for (const widget of WIDGETS) {
    const res = http.post(`${API_URL}/api/v2/query`, JSON.stringify({ site_id: SITE, ...widget }), {
      headers: { 'content-type': 'application/json', cookie: data.cookie, origin: APP_ORIGIN },
      tags: { endpoint: 'query' },
    });
    check(res, { 'query answered (200)': (r) => r.status === 200 });
  }
  // A dashboard refreshes every few seconds; think time between page loads.
  sleep(1 + Math.random() * 2);
}
