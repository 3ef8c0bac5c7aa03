import { strToU8, zipSync } from 'fflate';

/**
 * A small Plausible CSV export (the file names and columns of Plausible's export, newer
 * columns such as scroll_depth included) with figures chosen to be added up by hand.
 */
export const PLAUSIBLE_FILES: Record<string, string> = {
  'imported_visitors_20240101_20240103.csv': [
    'date,visitors,pageviews,bounces,visits,visit_duration',
    '2024-01-01,10,30,4,12,600',
    '2024-01-02,20,50,10,25,1000',
    '2024-01-03,5,9,1,6,120',
  ].join('\n'),
  'imported_sources_20240101_20240103.csv': [
    'date,source,referrer,utm_source,utm_medium,utm_campaign,utm_content,utm_term,pageviews,visitors,visits,visit_duration,bounces',
    '2024-01-01,Google,,,,,,,20,6,7,350,2',
    '2024-01-01,,,,,,,,10,4,5,250,2',
    '2024-01-02,Google,,,,,,,30,12,15,600,6',
    '2024-01-02,"=HYPERLINK(""http://evil.example"")",,,,,,,20,8,10,400,4',
    '2024-01-03,Google,,,,,,,9,5,6,120,1',
  ].join('\r\n'),
  'imported_pages_20240101_20240103.csv': [
    'date,hostname,page,visits,visitors,pageviews,scroll_depth,pageleave_visitors',
    '2024-01-01,example.com,/,10,9,20,,0',
    '2024-01-01,example.com,/blog,4,3,10,,0',
    '2024-01-02,example.com,/,20,18,50,,0',
  ].join('\n'),
  'imported_locations_20240101_20240103.csv': [
    'date,country,region,city,visitors,visits,visit_duration,bounces,pageviews',
    '2024-01-01,DE,,0,7,8,400,3,20',
    '2024-01-01,US,,0,3,4,200,1,10',
    '2024-01-02,DE,,0,20,25,1000,10,50',
  ].join('\n'),
  'imported_devices_20240101_20240103.csv': [
    'date,device,visitors,visits,visit_duration,bounces,pageviews',
    '2024-01-01,Desktop,10,12,600,4,30',
    '2024-01-02,Mobile,20,25,1000,10,50',
  ].join('\n'),
  // Not imported (no table of ours for it): skipped without error.
  'imported_custom_events_20240101_20240103.csv': [
    'date,name,link_url,path,visitors,events',
    '2024-01-01,Signup,,,2,2',
  ].join('\n'),
};

export function zipOf(files: Record<string, string | Uint8Array>): Buffer {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, content] of Object.entries(files))
    entries[name] = typeof content === 'string' ? strToU8(content) : content;
  return Buffer.from(zipSync(entries, { level: 6 }));
}

const UMAMI_HEADER =
  'website_id,session_id,visit_id,event_id,hostname,browser,os,device,screen,language,country,subdivision1,subdivision2,city,url_path,url_query,utm_source,utm_medium,utm_campaign,utm_content,utm_term,referrer_path,referrer_query,referrer_domain,page_title,gclid,fbclid,msclkid,ttclid,li_fat_id,twclid,event_type,event_name,tag,distinct_id,created_at,job_id';

function umamiRow(f: {
  session: string;
  visit: string;
  browser: string;
  os: string;
  device: string;
  country: string;
  path: string;
  referrer: string;
  type: 1 | 2;
  name?: string;
  at: string;
}): string {
  const cols: Record<string, string> = {
    website_id: 'w1',
    session_id: f.session,
    visit_id: f.visit,
    event_id: `${f.visit}-${f.at}`,
    hostname: 'example.com',
    browser: f.browser,
    os: f.os,
    device: f.device,
    screen: '1920x1080',
    language: 'en-US',
    country: f.country,
    url_path: f.path,
    referrer_domain: f.referrer,
    page_title: 'A "quoted", title',
    event_type: String(f.type),
    event_name: f.name ?? '',
    created_at: f.at,
  };
  return UMAMI_HEADER.split(',')
    .map((c) => {
      const v = cols[c] ?? '';
      return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
    })
    .join(',');
}

const desktop = { browser: 'chrome', os: 'Mac OS', device: 'desktop', country: 'DE' };
/**
 * Three visits of two sessions over two days (UTC): visit 1 of s1 from Google (/, /pricing, a
 * custom event; 120 s), visit 2 of s2 direct on a phone (/blog only: a bounce), visit 3 of s1
 * the next day from Hacker News (/, /blog; 30 s).
 */
export const UMAMI_CSV = [
  UMAMI_HEADER,
  umamiRow({
    ...desktop,
    session: 's1',
    visit: 'v1',
    path: '/',
    referrer: 'www.google.com',
    type: 1,
    at: '2024-02-01 10:00:00',
  }),
  umamiRow({
    ...desktop,
    session: 's1',
    visit: 'v1',
    path: '/pricing',
    referrer: '',
    type: 1,
    at: '2024-02-01 10:01:40',
  }),
  umamiRow({
    ...desktop,
    session: 's1',
    visit: 'v1',
    path: '/pricing',
    referrer: '',
    type: 2,
    name: 'signup',
    at: '2024-02-01 10:02:00',
  }),
  umamiRow({
    session: 's2',
    visit: 'v2',
    browser: 'ios',
    os: 'iOS',
    device: 'mobile',
    country: 'US',
    path: '/blog',
    referrer: '',
    type: 1,
    at: '2024-02-01 11:00:00',
  }),
  umamiRow({
    ...desktop,
    session: 's1',
    visit: 'v3',
    path: '/',
    referrer: 'news.ycombinator.com',
    type: 1,
    at: '2024-02-02 09:00:00',
  }),
  umamiRow({
    ...desktop,
    session: 's1',
    visit: 'v3',
    path: '/blog',
    referrer: '',
    type: 1,
    at: '2024-02-02 09:00:30',
  }),
].join('\n');
