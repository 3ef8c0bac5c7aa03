// A fixed pool of realistic `POST /api/event` requests for the load generator: what browsers of
// many sites send, so the receiver's caches, enrichment and identity paths do real work instead
// of replaying one event. Deterministic (seeded), so runs are comparable.
import type { AutocannonRequest } from 'autocannon';
import { COUNTRY_IP_BLOCKS, USER_AGENTS } from '../../scripts/seed/traffic-generator';
import { mulberry32 } from '../../scripts/seed/seeded-random';

export const BENCH_SITE_DOMAINS: readonly string[] = [
  'acme-kites.com',
  'blog.harbourlight.io',
  'northwind-coffee.de',
  'pixelgarden.dev',
  'shop.tidalwear.co.uk',
  'docs.quillstack.org',
  'fjordtrail.se',
  'mapleleaf-books.ca',
  'sakura-tea.jp',
  'openbench.fr',
  'rustyanchor.nl',
  'saopaulo-eats.com.br',
  'kangaroo-tours.com.au',
  'madrid-metro-guide.es',
  'linguaflow.app',
  'tracklab.io',
  'greenroof.pl',
  'cucina-nonna.it',
  'taco-atlas.mx',
  'status.cloudnest.net',
];

const PAGES = [
  '/',
  '/pricing',
  '/blog',
  '/blog/how-we-cut-our-bundle-in-half',
  '/blog/2024/year-in-review',
  '/docs/getting-started',
  '/docs/api/authentication',
  '/products/classic-delta-kite',
  '/about',
  '/contact',
  '/signup',
  '/app/dashboard',
];

/** Where visitors come from; `utm` is appended to the landing URL (newsletters carry no referrer). */
const SOURCES: readonly { referrer: string | null; utm?: string; weight: number }[] = [
  { referrer: null, weight: 30 },
  { referrer: 'https://www.google.com/', weight: 30 },
  { referrer: 'https://t.co/', weight: 6 },
  { referrer: 'https://twitter.com/', weight: 4 },
  { referrer: null, utm: 'utm_source=newsletter&utm_medium=email&utm_campaign=spring_launch', weight: 8 },
  {
    referrer: 'https://t.co/',
    utm: 'utm_source=twitter&utm_medium=social&utm_campaign=launch_week&utm_content=thread',
    weight: 4,
  },
  { referrer: 'https://news.ycombinator.com/', weight: 4 },
  { referrer: 'https://duckduckgo.com/', weight: 4 },
  { referrer: 'https://www.bing.com/', weight: 3 },
  { referrer: 'https://github.com/', weight: 3 },
  { referrer: 'https://www.reddit.com/r/webdev/', weight: 2 },
  { referrer: 'https://l.facebook.com/', weight: 2 },
];

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

function pickWeighted<T extends { weight: number }>(random: () => number, items: readonly T[]): T {
  let ticket = random() * items.reduce((sum, item) => sum + item.weight, 0);
  for (const item of items) if ((ticket -= item.weight) < 0) return item;
  return pick(random, items);
}

/** A public address inside one of the seed's CIDR blocks (all of them resolve to a country). */
function publicIp(random: () => number): string {
  const cidr = pick(random, pickWeighted(random, COUNTRY_IP_BLOCKS).cidrs);
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = base.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const address = start + 1 + Math.floor(random() * (size - 2));
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join('.');
}

function eventBody(random: () => number, domain: string): Record<string, unknown> {
  const page = pick(random, PAGES);
  const roll = random();
  if (roll < 0.55) {
    // A landing pageview: external (or no) referrer, UTM tags when the source has them.
    const source = pickWeighted(random, SOURCES);
    const url = `https://${domain}${page}${source.utm ? `?${source.utm}` : ''}`;
    return { name: 'pageview', url, domain, referrer: source.referrer };
  }
  if (roll < 0.88) {
    // A pageview further into the visit: the previous page is the referrer.
    const from = pick(random, PAGES);
    return {
      name: 'pageview',
      url: `https://${domain}${page}`,
      domain,
      referrer: `https://${domain}${from}`,
    };
  }
  const url = `https://${domain}${page}`;
  if (roll < 0.93)
    return {
      name: 'Signup',
      url,
      domain,
      referrer: null,
      props: { plan: pick(random, ['free', 'pro', 'team']) },
    };
  if (roll < 0.97)
    return {
      name: 'Outbound Link: Click',
      url,
      domain,
      referrer: null,
      props: { url: 'https://github.com/acme/kite-tools' },
    };
  return {
    name: 'File Download',
    url,
    domain,
    referrer: null,
    props: { url: `https://${domain}/files/brochure.pdf` },
  };
}

/**
 * `count` distinct requests, sent as the tracker's sendBeacon does (text/plain JSON). The client
 * IP travels in X-Forwarded-For, so the receiver must run with TRUSTED_PROXY_HOPS=1.
 */
export function buildEventRequests(
  count: number,
  domains: readonly string[],
  seed = 20_240_601,
): AutocannonRequest[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => ({
    method: 'POST',
    path: '/api/event',
    headers: {
      'content-type': 'text/plain;charset=UTF-8',
      'user-agent': pickWeighted(random, USER_AGENTS).ua,
      'x-forwarded-for': publicIp(random),
      'accept-language': 'en-US,en;q=0.9',
    },
    body: JSON.stringify(eventBody(random, pick(random, domains))),
  }));
}
