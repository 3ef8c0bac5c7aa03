import { describe, expect, it } from 'vitest';
import {
  BROCHURE_PATH,
  COUNTRY_IP_BLOCKS,
  DEMO_PAGES,
  OUTBOUND_LINKS,
  USER_AGENTS,
  generateTraffic,
  type SyntheticHit,
} from './traffic-generator';

const DOMAIN = 'demo.sightline.test';
// Deliberately not midnight-aligned: the windows are relative to `end`, not to calendar days.
const END = new Date('2026-03-18T09:41:27.000Z');
const DAY = 24 * 60 * 60 * 1000;
const THIRTY_MINUTES = 30 * 60 * 1000;

const hits = generateTraffic({ domain: DOMAIN, end: END, days: 30, seed: 7 });

function bySession(list: SyntheticHit[]): Map<string, SyntheticHit[]> {
  const sessions = new Map<string, SyntheticHit[]>();
  for (const hit of list) {
    const session = sessions.get(hit.sessionKey);
    if (session) session.push(hit);
    else sessions.set(hit.sessionKey, [hit]);
  }
  return sessions;
}

const sessions = bySession(hits);
const sessionList = [...sessions.values()];

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function countryOf(ip: string): string | undefined {
  const n = ipToInt(ip);
  return COUNTRY_IP_BLOCKS.find((block) =>
    block.cidrs.some((cidr) => {
      const [base = '', bits = ''] = cidr.split('/');
      const start = ipToInt(base);
      return n >= start && n < start + 2 ** (32 - Number(bits));
    }),
  )?.country;
}

function share(predicate: (session: SyntheticHit[]) => boolean): number {
  return sessionList.filter(predicate).length / sessionList.length;
}

const landingUrl = (session: SyntheticHit[]): URL => new URL(session[0]!.url);

describe('generateTraffic', () => {
  it('is deterministic: same options give identical output, another seed differs', () => {
    const again = generateTraffic({ domain: DOMAIN, end: END, days: 30, seed: 7 });
    expect(again).toEqual(hits);
    const other = generateTraffic({ domain: DOMAIN, end: END, days: 30, seed: 8 });
    expect(other.slice(0, 50)).not.toEqual(hits.slice(0, 50));
  });

  it('defaults to a fixed seed and ~150–400 visitors a day', () => {
    const a = generateTraffic({ domain: DOMAIN, end: END, days: 7 });
    expect(generateTraffic({ domain: DOMAIN, end: END, days: 7 })).toEqual(a);
    const perDay = new Set(a.map((h) => h.sessionKey)).size / 7;
    expect(perDay).toBeGreaterThan(150);
    expect(perDay).toBeLessThan(400);
  });

  // The checks below collect offenders and assert once: tens of thousands of expect() calls
  // would dominate the run time.

  it('keeps every timestamp within [end - days, end) and returns hits ordered by time', () => {
    const first = END.getTime() - 30 * DAY;
    const outside = hits.filter(
      (h) => h.timestamp.getTime() < first || h.timestamp.getTime() >= END.getTime(),
    );
    expect(outside).toEqual([]);
    const unordered = hits.filter((h, i) => i > 0 && h.timestamp < hits[i - 1]!.timestamp);
    expect(unordered).toEqual([]);
  });

  it('orders each session as visited: starts with a pageview, no gap of 30 minutes or more', () => {
    const gaps = (list: SyntheticHit[]): number[] =>
      list.slice(1).map((h, i) => h.timestamp.getTime() - list[i]!.timestamp.getTime());
    const bad: string[] = [];
    for (const [key, session] of sessions) {
      if (session[0]!.name !== 'pageview') bad.push(`${key}: starts with ${session[0]!.name}`);
      if (gaps(session).some((gap) => gap < 0 || gap >= THIRTY_MINUTES)) bad.push(`${key}: 30-minute rule`);
      const pageviews = session.filter((h) => h.name === 'pageview');
      if (pageviews.length < 1 || pageviews.length > 6) bad.push(`${key}: ${pageviews.length} pageviews`);
      if (gaps(pageviews).some((gap) => gap < 10_000 || gap > 240_000)) bad.push(`${key}: time on page`);
    }
    expect(bad).toEqual([]);
  });

  it('gives one visitor one ip + user agent, and separates their sessions by over 30 minutes', () => {
    const identity = new Map<string, string>();
    const owner = new Map<string, string>();
    const spansOf = new Map<string, { first: number; last: number }[]>();
    const bad: string[] = [];
    for (const [key, session] of sessions) {
      const { visitorKey, ip, userAgent } = session[0]!;
      const id = `${ip} ${userAgent}`;
      if (session.some((h) => h.visitorKey !== visitorKey || `${h.ip} ${h.userAgent}` !== id)) {
        bad.push(`${key}: mixed identities`);
      }
      if ((identity.get(visitorKey) ?? id) !== id) bad.push(`${visitorKey}: changed ip or user agent`);
      identity.set(visitorKey, id);
      // Two visitors sharing ip + UA would collapse into one in cookieless hashing.
      if ((owner.get(id) ?? visitorKey) !== visitorKey) bad.push(`${visitorKey}: shares ip + UA`);
      owner.set(id, visitorKey);
      const span = { first: session[0]!.timestamp.getTime(), last: session.at(-1)!.timestamp.getTime() };
      spansOf.set(visitorKey, [...(spansOf.get(visitorKey) ?? []), span]);
    }
    let returning = 0;
    for (const [visitorKey, spans] of spansOf) {
      if (spans.length > 1) returning++;
      spans.sort((a, b) => a.first - b.first);
      if (spans.some((s, i) => i > 0 && s.first - spans[i - 1]!.last <= THIRTY_MINUTES)) {
        bad.push(`${visitorKey}: sessions less than 30 minutes apart`);
      }
    }
    expect(bad).toEqual([]);
    expect(returning).toBeGreaterThan(sessions.size * 0.05);
  });

  it('has a bounce rate between 35% and 65% and lands mostly on the home page and blog posts', () => {
    const bounceRate = share((s) => s.filter((h) => h.name === 'pageview').length === 1);
    expect(bounceRate).toBeGreaterThan(0.35);
    expect(bounceRate).toBeLessThan(0.65);

    const homeOrPost = share((s) => /^\/(blog\/[a-z-]+)?$/.test(landingUrl(s).pathname));
    expect(homeOrPost).toBeGreaterThan(0.55);
  });

  it('only visits pages the demo site has, on the requested domain', () => {
    const pages = new Set<string>(DEMO_PAGES);
    const visited = new Set(hits.map((h) => h.url.split('?')[0]!));
    const unknown = [...visited].filter((url) => {
      const parsed = new URL(url);
      return parsed.origin !== `https://${DOMAIN}` || !pages.has(parsed.pathname);
    });
    expect(unknown).toEqual([]);
  });

  it('mixes the expected sources, with utm campaigns only on landing pages', () => {
    const sources = new Map<string, number>();
    const badLater: string[] = [];
    for (const session of sessionList) {
      const landing = session[0]!;
      const utm = landingUrl(session).searchParams;
      const source = landing.referrer
        ? new URL(landing.referrer).hostname
        : (utm.get('utm_source') ?? 'direct');
      sources.set(source, (sources.get(source) ?? 0) + 1);
      for (const hit of session.filter((h) => h.name === 'pageview').slice(1)) {
        const url = new URL(hit.url);
        if (url.search !== '') badLater.push(hit.url);
        // Later pageviews were reached from this site (full load) or keep the landing referrer (SPA).
        if (hit.referrer && new URL(hit.referrer).hostname !== DOMAIN && !url.pathname.startsWith('/app')) {
          badLater.push(`${hit.url} from ${hit.referrer}`);
        }
      }
    }
    expect(badLater).toEqual([]);
    for (const source of [
      'direct',
      'www.google.com',
      'www.bing.com',
      'duckduckgo.com',
      't.co',
      'www.reddit.com',
      'news.ycombinator.com',
      'github.com',
      'newsletter',
    ]) {
      expect(sources.get(source) ?? 0, source).toBeGreaterThan(sessionList.length * 0.01);
    }

    const campaigns = sessionList.map((s) => landingUrl(s).searchParams);
    const newsletter = campaigns.filter((q) => q.get('utm_source') === 'newsletter');
    const cpc = campaigns.filter((q) => q.get('utm_medium') === 'cpc');
    expect(newsletter.length).toBeGreaterThan(sessionList.length * 0.02);
    expect(cpc.length).toBeGreaterThan(sessionList.length * 0.02);
    // utm_campaign is the month of the visit: the window spans mid-February to mid-March.
    expect(new Set(newsletter.map((q) => q.get('utm_campaign')))).toEqual(new Set(['february', 'march']));
    expect(new Set(newsletter.map((q) => q.get('utm_medium')))).toEqual(new Set(['email']));
    expect(new Set(cpc.map((q) => `${q.get('utm_source')}/${q.get('utm_campaign')}`))).toEqual(
      new Set(['google/kites-spring']),
    );
  });

  it('spreads visitors over at least 10 countries and at least 8 browser/device combinations', () => {
    const countries = new Map<string, number>();
    for (const session of sessionList) {
      const country = countryOf(session[0]!.ip) ?? `unknown ${session[0]!.ip}`;
      countries.set(country, (countries.get(country) ?? 0) + 1);
    }
    expect([...countries.keys()].filter((c) => c.startsWith('unknown'))).toEqual([]);
    expect(countries.size).toBeGreaterThanOrEqual(10);
    // The US leads but does not dominate.
    const us = (countries.get('US') ?? 0) / sessionList.length;
    expect(us).toBeGreaterThan(0.2);
    expect(us).toBeLessThan(0.45);

    const known = new Map<string, string>(USER_AGENTS.map((u) => [u.ua, u.label]));
    const labels = new Set(sessionList.map((s) => known.get(s[0]!.userAgent) ?? 'unknown'));
    expect(labels.has('unknown')).toBe(false);
    expect(labels.size).toBeGreaterThanOrEqual(8);
  });

  it('emits the custom events at plausible rates with the props the tracker sends', () => {
    const signupShare = share((s) => s.some((h) => h.name === 'Signup'));
    expect(signupShare).toBeGreaterThan(0.015);
    expect(signupShare).toBeLessThan(0.05);

    // Every distinct (name, props) pair, as a goal breakdown in the dashboard would list them.
    const seen = new Set(hits.map((h) => `${h.name} ${JSON.stringify(h.props ?? null)}`));
    expect([...seen].sort()).toEqual(
      [
        `File Download {"url":"https://${DOMAIN}${BROCHURE_PATH}"}`,
        ...Object.values(OUTBOUND_LINKS).map((url) => `Outbound Link: Click {"url":"${url}"}`),
        'Purchase {"plan":"pro","billing":"monthly"}',
        'Purchase {"plan":"pro","billing":"yearly"}',
        'Signup {"plan":"free"}',
        'Signup {"plan":"pro"}',
        'engagement null',
        'pageview null',
      ].sort(),
    );
  });

  it('shapes daily counts: weekdays over weekends, an upward trend, quiet nights (UTC)', () => {
    const perDay = new Array<number>(30).fill(0);
    const perHour = new Array<number>(24).fill(0);
    const first = END.getTime() - 30 * DAY;
    for (const session of sessionList) {
      const start = session[0]!.timestamp;
      perDay[Math.floor((start.getTime() - first) / DAY)]!++;
      perHour[start.getUTCHours()]!++;
    }
    const weekend: number[] = [];
    const weekday: number[] = [];
    perDay.forEach((count, day) => {
      const midday = new Date(first + day * DAY + DAY / 2).getUTCDay();
      (midday === 0 || midday === 6 ? weekend : weekday).push(count);
    });
    expect(Math.min(...perDay)).toBeGreaterThan(100);
    expect(Math.max(...perDay)).toBeLessThan(600);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(weekend)).toBeLessThan(mean(weekday) * 0.9);
    expect(mean(perDay.slice(-7))).toBeGreaterThan(mean(perDay.slice(0, 7)));

    const night = perHour.slice(2, 6).reduce((a, b) => a + b, 0);
    const afternoon = perHour.slice(13, 17).reduce((a, b) => a + b, 0);
    expect(night).toBeLessThan(afternoon * 0.6);
  });

  it('scales with visitorsPerDay and handles a single day', () => {
    const small = generateTraffic({ domain: DOMAIN, end: END, days: 1, visitorsPerDay: 20 });
    const count = new Set(small.map((h) => h.sessionKey)).size;
    expect(count).toBeGreaterThan(10);
    expect(count).toBeLessThan(30);
    expect(generateTraffic({ domain: DOMAIN, end: END, days: 3, visitorsPerDay: 0 })).toEqual([]);
  });

  it('rejects nonsense options', () => {
    expect(() => generateTraffic({ domain: DOMAIN, end: END, days: 0 })).toThrow(RangeError);
    expect(() => generateTraffic({ domain: DOMAIN, end: END, days: 1.5 })).toThrow(RangeError);
    expect(() => generateTraffic({ domain: DOMAIN, end: new Date('nope'), days: 1 })).toThrow(RangeError);
    expect(() => generateTraffic({ domain: DOMAIN, end: END, days: 1, visitorsPerDay: -1 })).toThrow(
      RangeError,
    );
  });
});
