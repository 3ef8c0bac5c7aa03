import { classifyReferrer, resolveSource } from '@sightline/enrich';
import { ImportError } from './import-error';
import { checkImportDate, checkString } from './import-values';

/** One row of an `imported_*` table without site_id / import_id. */
export type ImportedRow = Record<string, string | number>;

/** Umami's one-letter-case names mapped onto the names our own enrichment stores (Plausible's). */
const DEVICES: Record<string, string> = {
  desktop: 'Desktop',
  laptop: 'Desktop',
  mobile: 'Mobile',
  tablet: 'Tablet',
};
const BROWSERS: Record<string, string> = {
  chrome: 'Chrome',
  crios: 'Chrome',
  'chromium-webview': 'Chrome WebView',
  firefox: 'Firefox',
  fxios: 'Firefox',
  safari: 'Safari',
  ios: 'Safari',
  'ios-webview': 'Safari',
  'edge-chromium': 'Microsoft Edge',
  edge: 'Microsoft Edge',
  'edge-ios': 'Microsoft Edge',
  opera: 'Opera',
  samsung: 'Samsung Internet',
  yandexbrowser: 'Yandex Browser',
  ie: 'Internet Explorer',
  brave: 'Brave',
};
const OPERATING_SYSTEMS: Record<string, string> = {
  'mac os': 'Mac',
  ios: 'iOS',
  'android os': 'Android',
  'chrome os': 'Chrome OS',
  linux: 'GNU/Linux',
};

function mapName(map: Record<string, string>, value: string): string {
  const key = value.trim().toLowerCase();
  if (key === '') return '';
  if (map[key]) return map[key];
  if (key.startsWith('windows')) return 'Windows';
  return value.trim();
}

interface Visit {
  visitor: number;
  /** Dense number of the visit (page sets hold these, not the export's ids). */
  n: number;
  first: number;
  last: number;
  firstPageview: number;
  lastPageview: number;
  entry: string;
  exit: string;
  pageviews: number;
  events: number;
  source: string;
  referrer: string;
  utm: [string, string, string, string, string];
  country: string;
  device: string;
  browser: string;
  os: string;
}

interface Group {
  visitors: Set<number>;
  visits: number;
  duration: number;
  bounces: number;
  pageviews: number;
}

interface PageGroup {
  visitors: Set<number>;
  visits: Set<number>;
  pageviews: number;
}

/** Umami writes `2024-03-01 10:00:00` (UTC) or ISO 8601. */
export function parseUmamiTime(value: string): number | null {
  const v = value.trim();
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})?$/.exec(v);
  if (!m) return null;
  const iso = `${m[1]}T${m[2]}${m[3] ? m[3].slice(0, 4) : ''}${m[4] ?? 'Z'}`;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/**
 * Aggregates Umami's per-event export into the daily imported_* rows. Visits are Umami's
 * `visit_id` (or one per session and day when absent); a visit's day, source, entry page and
 * device are those of its first event, as for native sessions. Days are in the site's timezone.
 */
export class UmamiAggregator {
  private readonly visits = new Map<string, Visit>();
  private readonly pages = new Map<string, PageGroup>();
  private readonly dayFormat: Intl.DateTimeFormat;
  private readonly dayCache = new Map<number, string>();
  /** Export ids (long UUIDs) to small numbers, and repeated values to one shared string: memory. */
  private readonly visitorNumbers = new Map<string, number>();
  private readonly strings = new Map<string, string>();
  rows = 0;

  private visitorNumber(session: string): number {
    let n = this.visitorNumbers.get(session);
    if (n === undefined) this.visitorNumbers.set(session, (n = this.visitorNumbers.size));
    return n;
  }

  private intern(value: string): string {
    const have = this.strings.get(value);
    if (have !== undefined) return have;
    if (this.strings.size < 200_000) this.strings.set(value, value);
    return value;
  }

  constructor(
    timezone: string,
    private readonly now = new Date(),
  ) {
    this.dayFormat = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
  }

  /** The site-timezone day of an instant (cached per hour: zone offsets change on the hour). */
  private dayOf(t: number): string {
    const hour = Math.floor(t / 3600_000);
    let day = this.dayCache.get(hour);
    if (day === undefined) {
      day = this.dayFormat.format(new Date(t));
      if (this.dayCache.size > 100_000) this.dayCache.clear();
      this.dayCache.set(hour, day);
    }
    return day;
  }

  add(values: Record<string, string>, where: string): void {
    this.rows++;
    const t = parseUmamiTime(values.created_at ?? '');
    if (t === null)
      throw new ImportError(
        `${where}: created_at "${(values.created_at ?? '').slice(0, 40)}" is not a date-time`,
      );
    checkImportDate(new Date(t).toISOString().slice(0, 10), `${where} (created_at)`, this.now);
    const type = (values.event_type ?? '').trim();
    if (type !== '1' && type !== '2')
      throw new ImportError(`${where}: event_type "${type.slice(0, 10)}" is not 1 (pageview) or 2 (event)`);
    const session = checkString((values.session_id ?? '').trim(), `${where} (session_id)`);
    if (session === '') throw new ImportError(`${where}: session_id is empty`);
    const isPageview = type === '1';
    const path = checkString(values.url_path ?? '', `${where} (url_path)`) || '/';
    const hostname = checkString(values.hostname ?? '', `${where} (hostname)`);
    const visitId = (values.visit_id ?? '').trim();
    const key = visitId !== '' ? visitId : `${session}|${this.dayOf(t)}`;

    let visit = this.visits.get(key);
    if (!visit) {
      visit = {
        visitor: this.visitorNumber(session),
        n: this.visits.size,
        first: t,
        last: t,
        firstPageview: Infinity,
        lastPageview: -Infinity,
        entry: '',
        exit: '',
        pageviews: 0,
        events: 0,
        source: '',
        referrer: '',
        utm: ['', '', '', '', ''],
        country: '',
        device: '',
        browser: '',
        os: '',
      };
      this.visits.set(key, visit);
    }
    visit.events++;
    if (t <= visit.first || visit.events === 1) {
      // The earliest event decides acquisition and device, as for native sessions.
      visit.first = Math.min(visit.first, t);
      const domain = checkString((values.referrer_domain ?? '').trim(), `${where} (referrer_domain)`);
      const classified = classifyReferrer(
        domain ? `https://${domain}${values.referrer_path ?? ''}` : '',
        hostname,
      );
      const utm = (['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'] as const).map(
        (c) => checkString((values[c] ?? '').trim(), `${where} (${c})`),
      ) as Visit['utm'];
      visit.utm = utm.map((u) => this.intern(u)) as Visit['utm'];
      visit.referrer = this.intern(classified.referrer);
      visit.source = this.intern(
        resolveSource({ referrerSource: classified.source, utmSource: utm[0], refParam: '' }),
      );
      visit.country = checkString((values.country ?? '').trim().toUpperCase(), `${where} (country)`).slice(
        0,
        2,
      );
      visit.device = this.intern(mapName(DEVICES, checkString(values.device ?? '', `${where} (device)`)));
      visit.browser = this.intern(mapName(BROWSERS, checkString(values.browser ?? '', `${where} (browser)`)));
      visit.os = this.intern(mapName(OPERATING_SYSTEMS, checkString(values.os ?? '', `${where} (os)`)));
    }
    visit.last = Math.max(visit.last, t);
    if (!isPageview) return;
    visit.pageviews++;
    if (t < visit.firstPageview) {
      visit.firstPageview = t;
      visit.entry = this.intern(path);
    }
    if (t >= visit.lastPageview) {
      visit.lastPageview = t;
      visit.exit = this.intern(path);
    }
    const pageKey = `${this.dayOf(t)}\u0000${hostname}\u0000${path}`;
    let page = this.pages.get(pageKey);
    if (!page) {
      page = { visitors: new Set(), visits: new Set(), pageviews: 0 };
      this.pages.set(pageKey, page);
    }
    page.visitors.add(visit.visitor);
    page.visits.add(visit.n);
    page.pageviews++;
  }

  /** The daily rows per imported_* table. */
  finish(): Map<string, ImportedRow[]> {
    const groups = new Map<string, Map<string, Group>>();
    const bump = (table: string, key: string, v: Visit): void => {
      let byKey = groups.get(table);
      if (!byKey) groups.set(table, (byKey = new Map()));
      let g = byKey.get(key);
      if (!g) byKey.set(key, (g = { visitors: new Set(), visits: 0, duration: 0, bounces: 0, pageviews: 0 }));
      g.visitors.add(v.visitor);
      g.visits++;
      g.duration += Math.round((v.last - v.first) / 1000);
      g.bounces += v.events === 1 && v.pageviews === 1 ? 1 : 0;
      g.pageviews += v.pageviews;
    };
    const SEP = '\u0000';
    for (const v of this.visits.values()) {
      const day = this.dayOf(v.first);
      bump('imported_visitors', day, v);
      bump('imported_sources', [day, v.source, v.referrer, ...v.utm].join(SEP), v);
      bump('imported_locations', [day, v.country].join(SEP), v);
      bump('imported_devices', [day, v.device].join(SEP), v);
      bump('imported_browsers', [day, v.browser].join(SEP), v);
      bump('imported_operating_systems', [day, v.os].join(SEP), v);
      if (v.pageviews > 0) {
        bump('imported_entry_pages', [day, v.entry].join(SEP), v);
        bump('imported_exit_pages', [day, v.exit].join(SEP), v);
      }
    }
    const out = new Map<string, ImportedRow[]>();
    const counts = (g: Group) => ({
      visitors: g.visitors.size,
      visits: g.visits,
      visit_duration: g.duration,
      bounces: g.bounces,
      pageviews: g.pageviews,
    });
    for (const [table, byKey] of groups) {
      const rows: ImportedRow[] = [];
      for (const [key, g] of byKey) {
        const [date = '', ...parts] = key.split(SEP);
        const c = counts(g);
        switch (table) {
          case 'imported_visitors':
            rows.push({ date, ...c });
            break;
          case 'imported_sources': {
            const [
              source = '',
              referrer = '',
              utm_source = '',
              utm_medium = '',
              utm_campaign = '',
              utm_content = '',
              utm_term = '',
            ] = parts;
            rows.push({
              date,
              source,
              referrer,
              utm_source,
              utm_medium,
              utm_campaign,
              utm_content,
              utm_term,
              ...c,
            });
            break;
          }
          case 'imported_locations':
            rows.push({ date, country: parts[0] ?? '', region: '', city: 0, ...c });
            break;
          case 'imported_devices':
            rows.push({ date, device: parts[0] ?? '', ...c });
            break;
          case 'imported_browsers':
            rows.push({ date, browser: parts[0] ?? '', browser_version: '', ...c });
            break;
          case 'imported_operating_systems':
            rows.push({ date, operating_system: parts[0] ?? '', operating_system_version: '', ...c });
            break;
          case 'imported_entry_pages':
            rows.push({
              date,
              entry_page: parts[0] ?? '',
              visitors: c.visitors,
              entrances: c.visits,
              visit_duration: c.visit_duration,
              bounces: c.bounces,
              pageviews: c.pageviews,
            });
            break;
          case 'imported_exit_pages':
            rows.push({
              date,
              exit_page: parts[0] ?? '',
              visitors: c.visitors,
              visit_duration: c.visit_duration,
              exits: c.visits,
              bounces: c.bounces,
              pageviews: c.pageviews,
            });
            break;
        }
      }
      out.set(table, rows);
    }
    const pages: ImportedRow[] = [];
    for (const [key, p] of this.pages) {
      const [date = '', hostname = '', page = ''] = key.split(SEP);
      pages.push({
        date,
        hostname,
        page,
        visits: p.visits.size,
        visitors: p.visitors.size,
        pageviews: p.pageviews,
      });
    }
    out.set('imported_pages', pages);
    return out;
  }
}
