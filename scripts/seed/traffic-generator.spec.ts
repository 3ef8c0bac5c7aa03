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

  it('keeps every timestamp within [end - days, end) and returns hits ordered by time', () => {
    const first = END.getTime() - 30 * DAY;
    for (const hit of hits) {
      expect(hit.timestamp.getTime()).toBeGreaterThanOrEqual(first);
      expect(hit.timestamp.getTime()).toBeLessThan(END.getTime());
    }
    for (let i = 1; i < hits.length; i++) {
      expect(hits[i]!.timestamp.getTime()).toBeGreaterThanOrEqual(hits[i - 1]!.timestamp.getTime());
    }
  });

  it('orders each session as visited: starts with a pageview, no gap of 30 minutes or more', () => {
    for (const session of sessionList) {
      expect(session[0]!.name).toBe('pageview');
      for (let i = 1; i < session.length; i++) {
        const gap = session[i]!.timestamp.getTime() - session[i - 1]!.timestamp.getTime();
        expect(gap).toBeGreaterThanOrEqual(0);
        expect(gap).toBeLessThan(THIRTY_MINUTES);
      }
      const pageviews = session.filter((h) => h.name === 'pageview');
      expect(pageviews.length).toBeGreaterThanOrEqual(1);
      expect(pageviews.length).toBeLessThanOrEqual(6);
      for (let i = 1; i < pageviews.length; i++) {
        const gap = pageviews[i]!.timestamp.getTime() - pageviews[i - 1]!.timestamp.getTime();
        expect(gap).toBeGreaterThanOrEqual(10_000);
        expect(gap).toBeLessThanOrEqual(240_000);
      }
    }
  });

  it('gives one visitor one ip + user agent, and separates their sessions by over 30 minutes', () => {
    const identity = new Map<string, string>();
    const owner = new Map<string, string>();
    const sessionsOf = new Map<string, { first: number; last: number }[]>();
    for (const session of sessionList) {
      const { visitorKey, ip, userAgent } = session[0]!;
      for (const hit of session) {
        expect(hit.visitorKey).toBe(visitorKey);
        expect(`${hit.ip} ${hit.userAgent}`).toBe(`${ip} ${userAgent}`);
      }
      const id = `${ip} ${userAgent}`;
      expect(identity.get(visitorKey) ?? id).toBe(id);
      identity.set(visitorKey, id);
      // Two visitors sharing ip + UA would collapse into one in cookieless hashing.
      expect(owner.get(id) ?? visitorKey).toBe(visitorKey);
      owner.set(id, visitorKey);
      const span = { first: session[0]!.timestamp.getTime(), last: session.at(-1)!.timestamp.getTime() };
      sessionsOf.set(visitorKey, [...(sessionsOf.get(visitorKey) ?? []), span]);
    }
    let returning = 0;
    for (const spans of sessionsOf.values()) {
      if (spans.length > 1) returning++;
      spans.sort((a, b) => a.first - b.first);
      for (let i = 1; i < spans.length; i++) {
        expect(spans[i]!.first - spans[i - 1]!.last).toBeGreaterThan(THIRTY_MINUTES);
      }
    }
    expect(returning).toBeGreaterThan(0);
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
    for (const hit of hits) {
      const url = new URL(hit.url);
      expect(url.origin).toBe(`https://${DOMAIN}`);
      expect(pages.has(url.pathname)).toBe(true);
    }
  });

  it('mixes the expected sources, with utm campaigns only on landing pages', () => {
    const sources = new Map<string, number>();
    for (const session of sessionList) {
      const landing = session[0]!;
      const utm = landingUrl(session).searchParams;
      const source = landing.referrer
        ? new URL(landing.referrer).hostname
        : (utm.get('utm_source') ?? 'direct');
      sources.set(source, (sources.get(source) ?? 0) + 1);
      for (const hit of session.filter((h) => h.name === 'pageview').slice(1)) {
        expect(new URL(hit.url).search).toBe('');
        // Later pageviews were reached from this site (full load) or keep the landing referrer (SPA).
        if (hit.referrer && new URL(hit.referrer).hostname !== DOMAIN) {
          expect(new URL(hit.url).pathname.startsWith('/app')).toBe(true);
        }
      }
    }
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
    expect(newsletter.length).toBeGreaterThan(0);
    expect(cpc.length).toBeGreaterThan(0);
    expect(new Set(newsletter.map((q) => q.get('utm_campaign')))).toEqual(new Set(['february', 'march']));
    for (const q of newsletter) expect(q.get('utm_medium')).toBe('email');
    for (const q of cpc) {
      expect(q.get('utm_source')).toBe('google');
      expect(q.get('utm_campaign')).toBe('kites-spring');
    }
  });

  it('spreads visitors over at least 10 countries and at least 8 browser/device combinations', () => {
    const countries = new Map<string, number>();
    for (const session of sessionList) {
      const country = countryOf(session[0]!.ip);
      expect(country).toBeDefined();
      countries.set(country!, (countries.get(country!) ?? 0) + 1);
    }
    expect(countries.size).toBeGreaterThanOrEqual(10);
    // The US leads but does not dominate.
    const us = (countries.get('US') ?? 0) / sessionList.length;
    expect(us).toBeGreaterThan(0.2);
    expect(us).toBeLessThan(0.45);

    const known = new Map<string, string>(USER_AGENTS.map((u) => [u.ua, u.label]));
    const labels = new Set(sessionList.map((s) => known.get(s[0]!.userAgent)));
    expect(labels.has(undefined)).toBe(false);
    expect(labels.size).toBeGreaterThanOrEqual(8);
  });

  it('emits the custom events at plausible rates with the props the tracker sends', () => {
    const signupShare = share((s) => s.some((h) => h.name === 'Signup'));
    expect(signupShare).toBeGreaterThan(0.015);
    expect(signupShare).toBeLessThan(0.05);

    const outbound = new Set<string>(Object.values(OUTBOUND_LINKS));
    const names = new Set<string>();
    for (const hit of hits) {
      names.add(hit.name);
      if (hit.name === 'pageview') expect(hit.props).toBeUndefined();
      if (hit.name === 'Signup') expect(['free', 'pro']).toContain(hit.props?.plan);
      if (hit.name === 'Outbound Link: Click') expect(outbound.has(hit.props?.url ?? '')).toBe(true);
      if (hit.name === 'File Download')
        expect(hit.props).toEqual({ url: `https://${DOMAIN}${BROCHURE_PATH}` });
    }
    expect(names).toEqual(new Set(['pageview', 'Signup', 'Outbound Link: Click', 'File Download']));
    const plans = new Set(hits.filter((h) => h.name === 'Signup').map((h) => h.props?.plan));
    expect(plans).toEqual(new Set(['free', 'pro']));
  });

  it('shapes daily counts: weekdays over weekends, an upward trend, quiet nights (UTC)', () => {
    const perDay = new Array<number>(30).fill(0);
    const perHour = new Array<number>(24).fill(0);
    const first = END.getTime() - 30 * DAY;
    const weekend: number[] = [];
    const weekday: number[] = [];
    for (const session of sessionList) {
      const start = session[0]!.timestamp;
      const day = Math.floor((start.getTime() - first) / DAY);
      perDay[day]!++;
      perHour[start.getUTCHours()]!++;
    }
    perDay.forEach((count, day) => {
      expect(count).toBeGreaterThan(100);
      expect(count).toBeLessThan(600);
      const midday = new Date(first + day * DAY + DAY / 2).getUTCDay();
      (midday === 0 || midday === 6 ? weekend : weekday).push(count);
    });
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
