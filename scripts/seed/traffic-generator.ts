import { mulberry32 } from './seeded-random';
/**
 * Deterministic synthetic traffic for the demo site (scripts/demo-site), used by the seed to fill
 * historical data. Same options → byte-identical output, so screenshots, demos and tests are stable.
 *
 * The model, in one breath: per day, a number of sessions (weekday/weekend pattern × gentle upward
 * trend × noise, plus one Hacker News spike); each session gets a source, a landing page that fits
 * the source, a visitor (new, or a returning one whose last hit is over 30 minutes old), a start time
 * from the visitor's local-time daily curve, and a walk of 1–6 pageviews with 10 s – 4 min gaps and
 * occasional custom events, exactly what the tracker would send.
 */

export interface SyntheticHit {
  /** UTC instant. */
  timestamp: Date;
  /** 'pageview' or a custom event name. */
  name: string;
  /** Full URL as the tracker sends it (landing pages keep their utm_* query). */
  url: string;
  /** document.referrer: external on landing, the previous page after, null for direct/email. */
  referrer: string | null;
  userAgent: string;
  /** Public IPv4 inside one of COUNTRY_IP_BLOCKS. */
  ip: string;
  props?: Record<string, string>;
  /** Revenue of a Purchase (a revenue goal). */
  revenue?: { amount: number; currency: string };
  /** `engagement` pings (script.engagement.js): deepest scroll % and visible ms on the page. */
  scrollDepth?: number;
  engagementTime?: number;
  /** Stable id of the synthetic visitor; one visitor always has the same ip and userAgent. */
  visitorKey: string;
  /** Stable id of the synthetic session. */
  sessionKey: string;
}

export interface GenerateTrafficOptions {
  /** Site domain; URLs are https://<domain>/... */
  domain: string;
  /** Exclusive upper bound: every timestamp is in [end - days, end). */
  end: Date;
  days: number;
  seed?: number;
  /** Average sessions per day before weekday, trend and noise factors. */
  visitorsPerDay?: number;
}

/** Every path the demo site serves as a page; the walk only ever visits these. */
export const DEMO_PAGES = [
  '/',
  '/pricing',
  '/blog',
  '/blog/first-flight',
  '/blog/choosing-your-first-kite',
  '/blog/wind-window-explained',
  '/docs',
  '/docs/getting-started',
  '/about',
  '/contact',
  '/app',
  '/app/settings',
] as const;

export type DemoPage = (typeof DEMO_PAGES)[number];

/** Links to other hosts that exist on the demo site, by the page that has them. */
export const OUTBOUND_LINKS = {
  github: 'https://github.com/acme-kites/kite-tools',
  windy: 'https://www.windy.com/',
  youtube: 'https://www.youtube.com/@acmekites',
  mastodon: 'https://mastodon.social/@acmekites',
} as const;

export const BROCHURE_PATH = '/files/brochure.pdf';

/**
 * Public IPv4 blocks by country. Every address of every block was checked against the CC0
 * geo-whois-asn-country mmdb that ingest uses, so the dashboard shows the intended countries.
 * `utcOffset` (whole hours, rough) shifts the daily curve to the visitors' local time.
 */
export const COUNTRY_IP_BLOCKS = [
  { country: 'US', weight: 30, utcOffset: -5, cidrs: ['73.15.20.0/22', '98.207.4.0/22', '108.20.0.0/22'] },
  { country: 'DE', weight: 11, utcOffset: 1, cidrs: ['79.200.0.0/22', '93.192.0.0/22', '84.150.0.0/22'] },
  { country: 'GB', weight: 9, utcOffset: 0, cidrs: ['86.150.0.0/22', '82.10.0.0/22', '90.200.0.0/22'] },
  { country: 'IN', weight: 7, utcOffset: 5, cidrs: ['49.36.0.0/22', '122.161.0.0/22', '117.200.0.0/22'] },
  { country: 'FR', weight: 6, utcOffset: 1, cidrs: ['90.10.0.0/22', '82.64.0.0/22', '2.10.0.0/22'] },
  { country: 'CA', weight: 5, utcOffset: -5, cidrs: ['99.230.0.0/22', '70.50.0.0/22', '174.112.0.0/22'] },
  { country: 'BR', weight: 5, utcOffset: -3, cidrs: ['177.20.0.0/22', '189.6.0.0/22', '201.17.0.0/22'] },
  { country: 'NL', weight: 4, utcOffset: 1, cidrs: ['84.80.0.0/22', '145.53.0.0/22', '86.80.0.0/22'] },
  { country: 'AU', weight: 4, utcOffset: 10, cidrs: ['101.160.0.0/22', '120.144.0.0/22', '110.20.0.0/22'] },
  { country: 'JP', weight: 3, utcOffset: 9, cidrs: ['126.10.0.0/22', '153.200.0.0/22', '114.150.0.0/22'] },
  { country: 'ES', weight: 3, utcOffset: 1, cidrs: ['83.50.0.0/22', '88.20.0.0/22', '79.150.0.0/22'] },
  { country: 'SE', weight: 3, utcOffset: 1, cidrs: ['78.70.0.0/22', '81.227.0.0/22', '90.224.0.0/22'] },
  { country: 'IT', weight: 3, utcOffset: 1, cidrs: ['79.20.0.0/22', '93.40.0.0/22'] },
  { country: 'PL', weight: 2, utcOffset: 1, cidrs: ['83.0.0.0/22', '83.24.0.0/22'] },
  { country: 'MX', weight: 2, utcOffset: -6, cidrs: ['187.190.0.0/22', '189.216.0.0/22'] },
] as const;

/** Weights follow a typical small-SaaS audience: Chrome on Windows and iPhones lead. */
export const USER_AGENTS = [
  {
    label: 'Chrome / Windows',
    weight: 30,
    mobile: false,
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  },
  {
    label: 'Safari / iPhone',
    weight: 17,
    mobile: true,
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  },
  {
    label: 'Chrome / Android',
    weight: 14,
    mobile: true,
    ua: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  },
  {
    label: 'Chrome / macOS',
    weight: 11,
    mobile: false,
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  },
  {
    label: 'Safari / macOS',
    weight: 8,
    mobile: false,
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  },
  {
    label: 'Edge / Windows',
    weight: 7,
    mobile: false,
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  },
  {
    label: 'Firefox / Windows',
    weight: 4,
    mobile: false,
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  },
  {
    label: 'Samsung Internet / Android',
    weight: 3,
    mobile: true,
    ua: 'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
  },
  {
    label: 'Safari / iPad',
    weight: 3,
    mobile: true,
    ua: 'Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  },
  {
    label: 'Firefox / Linux',
    weight: 2,
    mobile: false,
    ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  },
] as const;

// ---- seeded randomness ----------------------------------------------------------------------

/** Weights as written down: [value, weight] pairs. */
type Weighted<T> = readonly (readonly [T, number])[];

/** Cumulative weights computed once, so a pick is one random number and a short index scan. */
interface Table<T> {
  readonly values: readonly T[];
  readonly cumulative: readonly number[];
}

function table<T>(entries: Weighted<T>): Table<T> {
  if (entries.length === 0) throw new RangeError('a weighted table needs at least one entry');
  let total = 0;
  return {
    values: entries.map((e) => e[0]),
    cumulative: entries.map((e) => (total += e[1])),
  };
}

class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  weighted<T>(t: Table<T>): T {
    const { values, cumulative } = t;
    const r = this.next() * (cumulative[cumulative.length - 1] ?? 0);
    let i = 0;
    // Floating-point leftovers land on the last entry.
    while (i < values.length - 1 && r >= (cumulative[i] ?? 0)) i++;
    return values[i] as T;
  }
}

// ---- the model ------------------------------------------------------------------------------

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Source =
  | 'direct'
  | 'google'
  | 'bing'
  | 'duckduckgo'
  | 'twitter'
  | 'reddit'
  | 'hackernews'
  | 'github'
  | 'newsletter'
  | 'cpc';

/** Newsletter goes out on Tuesdays, so email traffic peaks then and tails into Wednesday. */
function sourceWeights(weekday: number): Table<Source> {
  const newsletter = weekday === 2 ? 22 : weekday === 3 ? 9 : 2;
  return table<Source>([
    ['direct', 28],
    ['google', 27],
    ['bing', 4],
    ['duckduckgo', 3],
    ['twitter', 6],
    ['reddit', 5],
    ['hackernews', 4],
    ['github', 4],
    ['newsletter', newsletter],
    ['cpc', 7],
  ]);
}

const REFERRERS: Record<Source, readonly (string | null)[]> = {
  direct: [null],
  google: ['https://www.google.com/'],
  bing: ['https://www.bing.com/'],
  duckduckgo: ['https://duckduckgo.com/'],
  twitter: ['https://t.co/3xKp9QmZ2a', 'https://t.co/Lw7RbN4eTq', 'https://t.co/q9ZfV1sXcD'],
  reddit: [
    'https://www.reddit.com/',
    'https://www.reddit.com/r/kitesurfing/comments/1c2x7qa/finally_had_my_first_flight/',
    'https://www.reddit.com/r/kites/comments/1bq9z2f/beginner_kite_recommendations/',
  ],
  hackernews: ['https://news.ycombinator.com/', 'https://news.ycombinator.com/item?id=41234567'],
  github: [
    'https://github.com/acme-kites/kite-tools',
    'https://github.com/acme-kites/kite-tools/blob/main/README.md',
  ],
  // Email clients send no referrer; the utm_* query carries the attribution.
  newsletter: [null],
  cpc: ['https://www.google.com/'],
};

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

function landingQuery(source: Source, at: Date): string {
  if (source === 'newsletter') {
    return `?utm_source=newsletter&utm_medium=email&utm_campaign=${MONTHS[at.getUTCMonth()]}`;
  }
  if (source === 'cpc') return '?utm_source=google&utm_medium=cpc&utm_campaign=kites-spring';
  return '';
}

const SEARCH_LANDING = table<DemoPage>([
  ['/', 25],
  ['/blog/choosing-your-first-kite', 20],
  ['/blog/first-flight', 15],
  ['/blog/wind-window-explained', 15],
  ['/docs/getting-started', 10],
  ['/pricing', 7],
  ['/docs', 5],
  ['/about', 3],
]);

/** Landing pages fit the source: social links point at posts, GitHub at docs, ads at the home page. */
const LANDING: Record<Source, Table<DemoPage>> = {
  direct: table([
    ['/', 50],
    ['/app', 15],
    ['/pricing', 10],
    ['/docs', 8],
    ['/blog', 7],
    ['/docs/getting-started', 5],
    ['/blog/first-flight', 5],
  ]),
  google: SEARCH_LANDING,
  bing: SEARCH_LANDING,
  duckduckgo: SEARCH_LANDING,
  twitter: table([
    ['/blog/first-flight', 45],
    ['/', 25],
    ['/blog/wind-window-explained', 15],
    ['/blog/choosing-your-first-kite', 15],
  ]),
  reddit: table([
    ['/blog/choosing-your-first-kite', 40],
    ['/blog/first-flight', 30],
    ['/blog/wind-window-explained', 20],
    ['/', 10],
  ]),
  hackernews: table([
    ['/blog/first-flight', 60],
    ['/', 25],
    ['/blog/wind-window-explained', 15],
  ]),
  github: table([
    ['/docs/getting-started', 40],
    ['/docs', 30],
    ['/', 30],
  ]),
  newsletter: table([
    ['/blog/first-flight', 30],
    ['/blog/choosing-your-first-kite', 25],
    ['/blog/wind-window-explained', 25],
    ['/pricing', 10],
    ['/', 10],
  ]),
  cpc: table([
    ['/', 55],
    ['/pricing', 45],
  ]),
};

/** Social visitors skim and leave; people arriving from docs links or by typing the URL stay. */
const BOUNCE: Record<Source, number> = {
  direct: 0.42,
  google: 0.48,
  bing: 0.48,
  duckduckgo: 0.46,
  twitter: 0.62,
  reddit: 0.6,
  hackernews: 0.66,
  github: 0.4,
  newsletter: 0.5,
  cpc: 0.55,
};

/** Pageviews after the landing page for sessions that do not bounce (2..6 pageviews in total). */
const EXTRA_PAGES = table<number>([
  [1, 38],
  [2, 26],
  [3, 17],
  [4, 11],
  [5, 8],
]);

const POSTS = [
  '/blog/first-flight',
  '/blog/choosing-your-first-kite',
  '/blog/wind-window-explained',
] as const;

function postNext(current: DemoPage): Table<DemoPage> {
  return table<DemoPage>([
    ['/blog', 25],
    ['/', 20],
    ['/pricing', 20],
    ['/docs/getting-started', 10],
    ...POSTS.filter((p) => p !== current).map((p) => [p, 10] as const),
  ]);
}

/** Where people click next from each page (never the same page twice in a row). */
const NEXT: Record<DemoPage, Table<DemoPage>> = {
  '/': table([
    ['/pricing', 30],
    ['/blog', 15],
    ['/docs', 15],
    ['/blog/first-flight', 10],
    ['/about', 10],
    ['/docs/getting-started', 8],
    ['/app', 8],
    ['/contact', 4],
  ]),
  '/pricing': table([
    ['/app', 25],
    ['/docs/getting-started', 20],
    ['/', 15],
    ['/contact', 15],
    ['/about', 10],
    ['/docs', 10],
    ['/blog', 5],
  ]),
  '/blog': table([
    ['/blog/first-flight', 25],
    ['/blog/choosing-your-first-kite', 25],
    ['/blog/wind-window-explained', 25],
    ['/', 10],
    ['/pricing', 8],
  ]),
  '/blog/first-flight': postNext('/blog/first-flight'),
  '/blog/choosing-your-first-kite': postNext('/blog/choosing-your-first-kite'),
  '/blog/wind-window-explained': postNext('/blog/wind-window-explained'),
  '/docs': table([
    ['/docs/getting-started', 50],
    ['/pricing', 15],
    ['/', 10],
    ['/app', 10],
    ['/blog', 5],
  ]),
  '/docs/getting-started': table([
    ['/app', 30],
    ['/docs', 25],
    ['/pricing', 20],
    ['/', 10],
    ['/blog/first-flight', 5],
  ]),
  '/about': table([
    ['/contact', 35],
    ['/', 25],
    ['/pricing', 20],
    ['/blog', 15],
  ]),
  '/contact': table([
    ['/', 40],
    ['/pricing', 30],
    ['/about', 25],
  ]),
  '/app': table([
    ['/app/settings', 60],
    ['/', 15],
    ['/docs', 15],
    ['/docs/getting-started', 10],
  ]),
  '/app/settings': table([
    ['/app', 60],
    ['/docs', 20],
    ['/', 20],
  ]),
};

/** Local-time activity by hour: quiet at night, busy through the working day and the evening. */
const LOCAL_HOUR_CURVE = [
  0.8, 0.5, 0.3, 0.25, 0.3, 0.6, 1.5, 3.5, 5.5, 7, 7.5, 7.5, 7, 7.5, 7.5, 7, 6.5, 6, 5.5, 5, 4.5, 3.5, 2.5,
  1.5,
] as const;

/** Sunday..Saturday. */
const WEEKDAY_FACTOR = [0.75, 1.05, 1.12, 1.08, 1.05, 0.95, 0.7] as const;

/** A front-page Hacker News post arrives US morning and fades over the afternoon. */
const SPIKE_UTC_HOURS = table<number>([
  [14, 10],
  [15, 9],
  [16, 8],
  [17, 6],
  [18, 5],
  [19, 4],
  [20, 3],
  [21, 2],
  [22, 2],
  [23, 1],
]);

interface Country {
  country: string;
  utcOffset: number;
  blocks: readonly { start: number; size: number }[];
  utcHours: Table<number>;
}

function parseCidr(cidr: string): { start: number; size: number } {
  const [base = '', bits = ''] = cidr.split('/');
  const start = base.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return { start, size: 2 ** (32 - Number(bits)) };
}

const COUNTRIES = table<Country>(
  COUNTRY_IP_BLOCKS.map((c) => [
    {
      country: c.country,
      utcOffset: c.utcOffset,
      blocks: c.cidrs.map(parseCidr),
      utcHours: table(
        LOCAL_HOUR_CURVE.map((w, localHour) => [(localHour - c.utcOffset + 24) % 24, w] as const),
      ),
    },
    c.weight,
  ]),
);

/** Emerging markets browse mostly on phones. */
const MOBILE_FIRST = new Set(['IN', 'BR', 'MX']);
const UA_TABLE = table(USER_AGENTS.map((u) => [u.ua, u.weight] as const));
const UA_TABLE_MOBILE_FIRST = table(USER_AGENTS.map((u) => [u.ua, u.weight * (u.mobile ? 3 : 1)] as const));

function ipInBlock(rng: Random, block: { start: number; size: number }): string {
  // Stay off .0 and .255 so addresses look like ordinary hosts.
  const n = block.start + 256 * rng.int(0, block.size / 256 - 1) + rng.int(1, 254);
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

interface Visitor {
  key: string;
  ip: string;
  userAgent: string;
  country: Country;
  /** Time of this visitor's latest hit; a new session must start over 30 minutes later. */
  lastHitAt: number;
}

interface PlannedSession {
  start: number;
  source: Source;
  country: Country;
  /** Whether this session prefers a returning visitor. */
  returning: boolean;
}

/** Returning visitors come back by typing the URL, searching or from the newsletter. */
const RETURNING_SHARE: Partial<Record<Source, number>> = { direct: 0.45, google: 0.2, newsletter: 0.35 };
/** Session gap the ingest uses, plus a margin so a returning visit is never glued to the last one. */
const NEW_SESSION_GAP = 31 * MINUTE;

export function generateTraffic(opts: GenerateTrafficOptions): SyntheticHit[] {
  const { domain, end, days } = opts;
  const seed = opts.seed ?? 42;
  const visitorsPerDay = opts.visitorsPerDay ?? 250;
  if (!Number.isInteger(days) || days < 1)
    throw new RangeError(`days must be a positive integer, got ${days}`);
  if (!Number.isFinite(end.getTime())) throw new RangeError('end must be a valid date');
  if (!(visitorsPerDay >= 0)) throw new RangeError(`visitorsPerDay must be >= 0, got ${visitorsPerDay}`);

  const rng = new Random(seed);
  const origin = `https://${domain}`;
  const endMs = end.getTime();
  const firstMs = endMs - days * DAY;
  const spikeDay = days >= 7 ? Math.floor(days * 0.45 + rng.float() * days * 0.3) : -1;

  const hits: SyntheticHit[] = [];
  const visitors: Visitor[] = [];
  const identities = new Set<string>();
  let sessionCount = 0;

  const newVisitor = (country: Country): Visitor => {
    const uaTable = MOBILE_FIRST.has(country.country) ? UA_TABLE_MOBILE_FIRST : UA_TABLE;
    let ip = '';
    let userAgent = '';
    // Two visitors with the same ip + UA would hash to one visitor id in ingest; re-roll, then accept.
    for (let attempt = 0; attempt < 8; attempt++) {
      ip = ipInBlock(rng, rng.pick(country.blocks));
      userAgent = rng.weighted(uaTable);
      if (!identities.has(`${ip} ${userAgent}`)) break;
    }
    identities.add(`${ip} ${userAgent}`);
    const visitor: Visitor = { key: `v${seed}-${visitors.length + 1}`, ip, userAgent, country, lastHitAt: 0 };
    visitors.push(visitor);
    return visitor;
  };

  const findReturning = (start: number): Visitor | undefined => {
    // Sample recent visitors (the last ~week at default volume) rather than scanning them all.
    const recent = Math.min(visitors.length, 2000);
    for (let attempt = 0; attempt < 6 && recent > 0; attempt++) {
      const candidate = visitors[visitors.length - 1 - rng.int(0, recent - 1)];
      if (candidate && candidate.lastHitAt + NEW_SESSION_GAP < start) return candidate;
    }
    return undefined;
  };

  for (let day = 0; day < days; day++) {
    const windowStart = firstMs + day * DAY;
    const windowMid = new Date(windowStart + DAY / 2);
    const weekday = windowMid.getUTCDay();
    const trend = days > 1 ? 0.85 + (0.3 * day) / (days - 1) : 1;
    const noise = 0.9 + 0.2 * rng.float();
    const count = Math.round(visitorsPerDay * (WEEKDAY_FACTOR[weekday] ?? 1) * trend * noise);
    const spikeCount = day === spikeDay ? Math.round(visitorsPerDay * 0.7) : 0;
    const utcMidnight = Math.floor(windowStart / DAY) * DAY;
    const sources = sourceWeights(weekday);

    // The UTC hour comes from the curve; the instant is the one with that hour inside this window.
    const startAt = (utcHour: number): number => {
      let t = utcMidnight + utcHour * HOUR + rng.int(0, HOUR / SECOND - 1) * SECOND + rng.int(0, 999);
      if (t < windowStart) t += DAY;
      return t;
    };

    const planned: PlannedSession[] = [];
    for (let i = 0; i < count + spikeCount; i++) {
      const country = rng.weighted(COUNTRIES);
      const spike = i >= count;
      const source: Source = spike ? 'hackernews' : rng.weighted(sources);
      const start = startAt(spike ? rng.weighted(SPIKE_UTC_HOURS) : rng.weighted(country.utcHours));
      planned.push({ start, source, country, returning: rng.chance(RETURNING_SHARE[source] ?? 0.08) });
    }
    // Chronological order, so a returning visitor's previous session is already generated.
    planned.sort((a, b) => a.start - b.start);

    for (const plan of planned) {
      const visitor = (plan.returning && findReturning(plan.start)) || newVisitor(plan.country);
      sessionCount++;
      emitSession(rng, plan, visitor, `s${seed}-${sessionCount}`, origin, endMs, hits);
    }
  }

  // Stable sort: hits of one session keep their order even when a timestamp ties with another session.
  hits.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  return hits;
}

function emitSession(
  rng: Random,
  plan: PlannedSession,
  visitor: Visitor,
  sessionKey: string,
  origin: string,
  endMs: number,
  hits: SyntheticHit[],
): void {
  const landing = rng.weighted(LANDING[plan.source]);
  const pageviews = rng.chance(BOUNCE[plan.source]) ? 1 : 1 + rng.weighted(EXTRA_PAGES);

  let t = plan.start;
  let page: DemoPage = landing;
  let url = origin + landing + landingQuery(plan.source, new Date(plan.start));
  let referrer = rng.pick(REFERRERS[plan.source]);

  const push = (
    at: number,
    name: string,
    props?: Record<string, string>,
    revenue?: SyntheticHit['revenue'],
    engagement?: Pick<SyntheticHit, 'scrollDepth' | 'engagementTime'>,
  ): void => {
    // The session is still going on at `end`: what has not happened yet is not emitted.
    if (at >= endMs) return;
    const hit: SyntheticHit = {
      timestamp: new Date(at),
      name,
      url,
      referrer,
      userAgent: visitor.userAgent,
      ip: visitor.ip,
      visitorKey: visitor.key,
      sessionKey,
    };
    if (props) hit.props = props;
    if (revenue) hit.revenue = revenue;
    if (engagement) Object.assign(hit, engagement);
    hits.push(hit);
    visitor.lastHitAt = Math.max(visitor.lastHitAt, at);
  };

  for (let i = 0; i < pageviews; i++) {
    push(t, 'pageview');
    // Time on page, log-uniform over 10 s – 4 min: most pages are skimmed, some are read.
    const gap = Math.round(10 * SECOND * Math.exp(rng.float() * Math.log(24)));
    const signedUp = emitPageEvents(rng, page, t, gap, origin, push);
    // The engagement ping when the page is left, derived from the time spent (no random draw, so
    // the rest of the traffic is the same as without pings): longer reads scroll further.
    push(t + gap - SECOND, 'engagement', undefined, undefined, {
      scrollDepth: Math.min(
        100,
        Math.round(20 + (70 * Math.log(gap / (10 * SECOND))) / Math.log(24)) + (page.length % 3) * 5,
      ),
      engagementTime: Math.round(gap * 0.8),
    });

    if (i + 1 === pageviews) break;
    const next: DemoPage = signedUp ? '/app' : rng.weighted(NEXT[page]);
    // pushState inside the app keeps document.referrer; a full page load sets it to the previous page.
    if (!(page.startsWith('/app') && next.startsWith('/app'))) referrer = url;
    page = next;
    url = origin + next;
    t += gap;
  }
}

/** The brochure is linked from pricing, about and docs (and the home page footer). */
const DOWNLOAD_CHANCE: Partial<Record<DemoPage, number>> = {
  '/pricing': 0.05,
  '/about': 0.06,
  '/docs': 0.04,
  '/': 0.01,
};

/** Custom events a visitor fires on a page, timed between this pageview and the next; true on signup. */
function emitPageEvents(
  rng: Random,
  page: DemoPage,
  viewedAt: number,
  gap: number,
  origin: string,
  push: (at: number, name: string, props?: Record<string, string>, revenue?: SyntheticHit['revenue']) => void,
): boolean {
  const during = (): number => viewedAt + rng.int(2 * SECOND, Math.max(2 * SECOND, gap - SECOND));
  let signedUp = false;

  if (page === '/pricing' && rng.chance(0.08)) {
    const plan = rng.chance(0.35) ? 'pro' : 'free';
    push(during(), 'Signup', { plan });
    signedUp = true;
    // Some Pro sign-ups pay at once: a revenue goal (Purchase) with the price in USD.
    if (plan === 'pro' && rng.chance(0.5)) {
      const yearly = rng.chance(0.25);
      push(
        during(),
        'Purchase',
        { plan, billing: yearly ? 'yearly' : 'monthly' },
        {
          amount: yearly ? 290 : 29,
          currency: 'USD',
        },
      );
    }
  } else if (page === '/' && rng.chance(0.012)) {
    // The home page hero button signs up for Pro.
    push(during(), 'Signup', { plan: 'pro' });
    signedUp = true;
  }

  const outbound = outboundFor(page);
  if (outbound && rng.chance(outbound.p)) {
    push(during(), 'Outbound Link: Click', { url: rng.pick(outbound.urls) });
  }

  const download = DOWNLOAD_CHANCE[page];
  if (download && rng.chance(download)) {
    push(during(), 'File Download', { url: origin + BROCHURE_PATH });
  }
  return signedUp;
}

function outboundFor(page: DemoPage): { p: number; urls: readonly string[] } | undefined {
  if (page.startsWith('/blog/')) return { p: 0.06, urls: [OUTBOUND_LINKS.windy, OUTBOUND_LINKS.youtube] };
  if (page.startsWith('/docs')) return { p: 0.08, urls: [OUTBOUND_LINKS.github] };
  if (page === '/about') return { p: 0.07, urls: [OUTBOUND_LINKS.mastodon, OUTBOUND_LINKS.github] };
  if (page === '/') return { p: 0.015, urls: [OUTBOUND_LINKS.github, OUTBOUND_LINKS.mastodon] };
  return undefined;
}
