// The demo site's imported history: six months of daily figures before its 60 days of native
// traffic, as a real Plausible CSV export zip (Plausible's file names and columns), queued as an
// import so the workers' import-site-data job reads it like any upload (within seconds of start).
import { strToU8, zipSync } from 'fflate';
import type { DataSource } from 'typeorm';
import { mulberry32 } from './seeded-random';

export const DEMO_IMPORT_FILE = 'acme-kites-plausible-export.zip';
const IMPORT_DAYS = 183;

type Split = readonly [string, number][];
const SOURCES: Split = [
  ['Google', 40],
  ['', 25],
  ['DuckDuckGo', 12],
  ['Hacker News', 10],
  ['Twitter', 8],
  ['Reddit', 5],
];
const PAGES: Split = [
  ['/', 45],
  ['/pricing', 20],
  ['/blog/kite-buying-guide', 15],
  ['/docs', 12],
  ['/about', 8],
];
const COUNTRIES: Split = [
  ['DE', 35],
  ['US', 25],
  ['GB', 12],
  ['FR', 10],
  ['NL', 8],
  ['BR', 5],
  ['JP', 5],
];
const DEVICES: Split = [
  ['Desktop', 64],
  ['Mobile', 31],
  ['Tablet', 5],
];
const BROWSERS: Split = [
  ['Chrome', 52],
  ['Safari', 24],
  ['Firefox', 14],
  ['Microsoft Edge', 10],
];
const SYSTEMS: Split = [
  ['Windows', 38],
  ['Mac', 22],
  ['iOS', 18],
  ['Android', 14],
  ['GNU/Linux', 8],
];

/** `n` split by weights into whole numbers that add up to `n`. */
function split(n: number, weights: Split): [string, number][] {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  const parts = weights.map(([k, w]) => [k, Math.floor((n * w) / total)] as [string, number]);
  let rest = n - parts.reduce((s, [, v]) => s + v, 0);
  for (let i = 0; rest > 0; i = (i + 1) % parts.length, rest--) parts[i]![1]++;
  return parts;
}

const ymd = (d: Date) => d.toISOString().slice(0, 10);
const compact = (day: string) => day.replaceAll('-', '');

/** The export's CSV files for the IMPORT_DAYS days that end the day before `nativeStart`. */
export function demoPlausibleExport(nativeStart: Date): Record<string, string> {
  const random = mulberry32(20260601);
  const last = new Date(
    Date.UTC(nativeStart.getUTCFullYear(), nativeStart.getUTCMonth(), nativeStart.getUTCDate() - 1),
  );
  const days = Array.from(
    { length: IMPORT_DAYS },
    (_, i) => new Date(last.getTime() - (IMPORT_DAYS - 1 - i) * 86_400_000),
  );
  const rows: Record<string, string[]> = {
    visitors: ['date,visitors,pageviews,bounces,visits,visit_duration'],
    sources: [
      'date,source,referrer,utm_source,utm_medium,utm_campaign,utm_content,utm_term,pageviews,visitors,visits,visit_duration,bounces',
    ],
    pages: ['date,hostname,page,visits,visitors,pageviews,scroll_depth,pageleave_visitors'],
    entry_pages: ['date,entry_page,visitors,entrances,visit_duration,bounces,pageviews'],
    exit_pages: ['date,exit_page,visitors,visit_duration,exits,bounces,pageviews'],
    locations: ['date,country,region,city,visitors,visits,visit_duration,bounces,pageviews'],
    devices: ['date,device,visitors,visits,visit_duration,bounces,pageviews'],
    browsers: ['date,browser,browser_version,visitors,visits,visit_duration,bounces,pageviews'],
    operating_systems: [
      'date,operating_system,operating_system_version,visitors,visits,visit_duration,bounces,pageviews',
    ],
  };
  days.forEach((d, i) => {
    const day = ymd(d);
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
    // Slow growth towards the native period, fewer visitors at weekends, some noise.
    const visitors = Math.round(
      (90 + (80 * i) / IMPORT_DAYS) * (weekend ? 0.7 : 1) * (0.85 + 0.3 * random()),
    );
    const visits = Math.round(visitors * 1.15);
    const pageviews = Math.round(visits * 2.2);
    const bounces = Math.round(visits * 0.45);
    const duration = visits * 70;
    rows.visitors!.push(`${day},${visitors},${pageviews},${bounces},${visits},${duration}`);
    // Per value: visitors split by weight; visits, pageviews, bounces and duration in proportion.
    const per = (
      weights: Split,
      line: (value: string, v: number, s: number, pv: number, b: number, dur: number) => string,
      target: string[],
    ) => {
      for (const [value, v] of split(visitors, weights)) {
        if (v === 0) continue;
        const s = Math.max(1, Math.round((v * visits) / visitors));
        target.push(line(value, v, s, Math.round(s * 2.2), Math.round(s * 0.45), s * 70));
      }
    };
    per(SOURCES, (src, v, s, pv, b, dur) => `${day},${src},,,,,,,${pv},${v},${s},${dur},${b}`, rows.sources!);
    per(PAGES, (p, v, s, pv) => `${day},acme-kites.example,${p},${s},${v},${pv},,0`, rows.pages!);
    per(
      PAGES.slice(0, 4),
      (p, v, s, pv, b, dur) => `${day},${p},${v},${s},${dur},${b},${pv}`,
      rows.entry_pages!,
    );
    per(
      PAGES.slice(0, 4).reverse(),
      (p, v, s, pv, b, dur) => `${day},${p},${v},${dur},${s},${b},${pv}`,
      rows.exit_pages!,
    );
    per(COUNTRIES, (c, v, s, pv, b, dur) => `${day},${c},,0,${v},${s},${dur},${b},${pv}`, rows.locations!);
    per(DEVICES, (x, v, s, pv, b, dur) => `${day},${x},${v},${s},${dur},${b},${pv}`, rows.devices!);
    per(BROWSERS, (x, v, s, pv, b, dur) => `${day},${x},,${v},${s},${dur},${b},${pv}`, rows.browsers!);
    per(
      SYSTEMS,
      (x, v, s, pv, b, dur) => `${day},${x},,${v},${s},${dur},${b},${pv}`,
      rows.operating_systems!,
    );
  });
  const range = `${compact(ymd(days[0]!))}_${compact(ymd(last))}`;
  return Object.fromEntries(
    Object.entries(rows).map(([table, lines]) => [`imported_${table}_${range}.csv`, lines.join('\n') + '\n']),
  );
}

/** Queues the demo import once (an existing one, whatever its state, is left alone). */
export async function seedDemoImport(
  dataSource: DataSource,
  siteId: number,
  userId: string,
  nativeStart: Date,
): Promise<boolean> {
  const existing = (await dataSource.query(
    'SELECT 1 FROM site_imports WHERE site_id = $1 AND file_name = $2',
    [siteId, DEMO_IMPORT_FILE],
  )) as unknown[];
  if (existing.length > 0) return false;
  const files = demoPlausibleExport(nativeStart);
  const zip = Buffer.from(
    zipSync(Object.fromEntries(Object.entries(files).map(([n, c]) => [n, strToU8(c)]))),
  );
  await dataSource.query(
    `INSERT INTO site_imports (site_id, source, status, file_name, file_bytes, file, created_by)
     VALUES ($1, 'plausible', 'queued', $2, $3, $4, $5)`,
    [siteId, DEMO_IMPORT_FILE, zip.length, zip, userId],
  );
  return true;
}
