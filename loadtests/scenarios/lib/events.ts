import http from 'k6/http';
import { check } from 'k6';
import { INGEST_URL, SITE } from './targets.ts';

const PAGES = ['/', '/pricing', '/blog/kites-101', '/blog/wind-guide', '/shop', '/shop/delta-kite', '/about'];
const REFERRERS = ['', 'https://www.google.com/', 'https://news.ycombinator.com/', 'https://duckduckgo.com/'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
];

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/** A visitor address from 198.18.0.0/15 (reserved for benchmarks), so visitors and rate limits spread. */
function visitorAddress(): string {
  return `198.${18 + Math.floor(Math.random() * 2)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
}

/**
 * One pageview (or, 1 in 10, a custom event) as the tracker sends it. The receiver must be started
 * with TRUSTED_PROXY_HOPS=1 so it takes the visitor address from X-Forwarded-For (see README).
 */
export function sendEvent(): void {
  const page = pick(PAGES);
  const custom = Math.random() < 0.1;
  const body = JSON.stringify({
    name: custom ? 'Signup' : 'pageview',
    url: `https://${SITE}${page}`,
    domain: SITE,
    referrer: pick(REFERRERS) || null,
    props: custom ? { plan: pick(['free', 'pro']) } : null,
  });
  const res = http.post(`${INGEST_URL}/api/event`, body, {
    headers: {
      'content-type': 'text/plain',
      'user-agent': pick(AGENTS),
      'x-forwarded-for': visitorAddress(),
    },
    tags: { endpoint: 'event' },
  });
  check(res, { 'event accepted (202)': (r) => r.status === 202 });
}
