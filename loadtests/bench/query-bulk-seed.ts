// Bulk seed for the query bench at customer scale: one INSERT ... SELECT per day, generated inside
// ClickHouse (10M rows in well under a minute instead of the enrichment pipeline's ~20k rows/s).
// Runs on ClickHouse 18.16 and current releases. Distributions, from cityHash64 of a seed (so the
// same options give the same rows):
// - sessions start on a daily curve (a fifth as many at midnight UTC as at noon), every day;
// - a session has 1 + geometric(0.55) events (45 % bounce, mean ≈ 2.2, at most 30), 20 s – 4 min
//   apart; 93 % pageviews, the rest Signup / Outbound Link / File Download;
// - pages: Zipf-like over 5,000 paths in six sections (rank drawn log-uniformly, "/" the top);
// - sources: 35 % direct, the rest Zipf-like over 300 sources (a dozen well-known names first);
//   only a session's first event carries the referrer, as the receiver stores it;
// - 15 % of sessions carry UTM tags; country (40 codes, Zipf-like), device, browser and OS are
//   the visitor's; a quarter of sessions belong to a returning visitor.
import { sql, type ClickHouseClient } from '@sightline/clickhouse';

const DAY_MS = 86_400_000;
/** Mean events per session of the geometric model above: 1 + 0.55 / 0.45. */
const MEAN_EVENTS_PER_SESSION = 1 + 0.55 / 0.45;

const SECTIONS = ['/blog/', '/docs/', '/pricing/', '/features/', '/changelog/', '/integrations/'];
const NAMED_SOURCES: [string, string][] = [
  ['Google', 'www.google.com'],
  ['Twitter', 't.co'],
  ['Facebook', 'www.facebook.com'],
  ['Bing', 'www.bing.com'],
  ['Reddit', 'www.reddit.com'],
  ['Hacker News', 'news.ycombinator.com'],
  ['DuckDuckGo', 'duckduckgo.com'],
  ['LinkedIn', 'www.linkedin.com'],
  ['GitHub', 'github.com'],
  ['Newsletter', 'mail.example.net'],
  ['Product Hunt', 'www.producthunt.com'],
  ['YouTube', 'www.youtube.com'],
];
const COUNTRIES = [
  'US',
  'DE',
  'GB',
  'FR',
  'IN',
  'CA',
  'NL',
  'BR',
  'ES',
  'IT',
  'PL',
  'SE',
  'AU',
  'JP',
  'CH',
  'AT',
  'BE',
  'DK',
  'NO',
  'FI',
  'IE',
  'PT',
  'CZ',
  'RO',
  'HU',
  'GR',
  'TR',
  'MX',
  'AR',
  'CL',
  'CO',
  'ZA',
  'NG',
  'KE',
  'EG',
  'IL',
  'AE',
  'SG',
  'KR',
  'NZ',
];
const CAMPAIGNS = Array.from({ length: 20 }, (_, i) => `campaign-${i + 1}`);

export interface BulkSeedTarget {
  id: number;
  domain: string;
  /** About this many events are written (sessions are drawn for it; the count is then measured). */
  events: number;
}

export interface BulkSeedOptions {
  /** Exclusive end: no event is at or after it. */
  end: Date;
  days: number;
  seed: number;
}

/** Inserts about `target.events` events over `days` days ending at `end`; returns the rows stored. */
export async function bulkSeedSiteEvents(
  client: ClickHouseClient,
  target: BulkSeedTarget,
  opts: BulkSeedOptions,
): Promise<number> {
  const sessions = Math.max(1, Math.round(target.events / MEAN_EVENTS_PER_SESSION));
  // Whole UTC days from the one holding the range's start to the one holding its end; the parts
  // of the first and last day outside the range are cut off by the insert's WHERE.
  const from = new Date(opts.end.getTime() - opts.days * DAY_MS);
  const firstDay = Math.floor(from.getTime() / DAY_MS);
  const lastDay = Math.floor((opts.end.getTime() - 1) / DAY_MS);
  const perDay = sessions / opts.days;
  let first = 0;
  for (let day = firstDay; day <= lastDay; day++) {
    const count = Math.round((day - firstDay + 1) * perDay) - first;
    if (count > 0)
      await client.command({
        query: insertDay(target, opts, from, new Date(day * DAY_MS), first, count).text,
      });
    first += count;
  }
  const rs = await client.query({
    query: sql`SELECT count() AS c FROM events WHERE site_id = ${target.id}`.text,
    format: 'JSONEachRow',
  });
  return Number((await rs.json<{ c: string }>())[0]?.c ?? 0);
}

function insertDay(
  target: BulkSeedTarget,
  opts: BulkSeedOptions,
  from: Date,
  dayStart: Date,
  firstSession: number,
  sessions: number,
) {
  const seed = opts.seed;
  const sourceNames = NAMED_SOURCES.map(([name]) => name);
  const sourceHosts = NAMED_SOURCES.map(([, host]) => host);
  const u = (salt: number) => sql`((cityHash64(${seed}, s, ${salt}) % 1000000) + 0.5) / 1000000`;
  const uv = (salt: number) => sql`((cityHash64(${seed}, v, ${salt}) % 1000000) + 0.5) / 1000000`;
  const ue = (salt: number) => sql`((cityHash64(${seed}, s, i, ${salt}) % 1000000) + 0.5) / 1000000`;
  return sql`INSERT INTO events (site_id, timestamp, name, hostname, pathname, referrer, referrer_source,
  utm_source, utm_medium, utm_campaign, utm_content, utm_term, country_code, browser, browser_version,
  os, os_version, device, visitor_id, session_id, props_keys, props_values, revenue_amount,
  revenue_currency, event_id)
SELECT ${target.id}, ts, name, ${target.domain}, pathname,
  if(i = 0, referrer, ''), if(i = 0, source, ''), if(i = 0, utm_source, ''), if(i = 0, utm_medium, ''),
  if(i = 0, utm_campaign, ''), '', '', country, browser, '120', os, '', device,
  cityHash64(${seed}, 'visitor', v), cityHash64(${seed}, 'session', s), [], [], toDecimal64(0, 4), '',
  cityHash64(${seed}, 'event', s, i)
FROM (
  SELECT s, v, start, step, n, source, referrer, utm_source, utm_medium, utm_campaign, country, device,
    browser, os, arrayJoin(range(n)) AS i,
    toDateTime(start + i * step, 'UTC') AS ts,
    if(${ue(1)} < 0.93, 'pageview', ${['Signup', 'Outbound Link', 'File Download']}[1 + cityHash64(${seed}, s, i, 2) % 3]) AS name,
    toUInt32(floor(exp(${ue(3)} * log(5000)))) - 1 AS page_rank,
    if(page_rank = 0, '/', concat(${SECTIONS}[1 + page_rank % ${SECTIONS.length}], toString(page_rank))) AS pathname
  FROM (
    SELECT s, v,
      toUInt32(${dayStart}) + toUInt32(86400 * (${u(1)} + 0.6 / (2 * pi()) * sin(2 * pi() * ${u(1)}))) AS start,
      toUInt32(20 + cityHash64(${seed}, s, 2) % 220) AS step,
      least(30, 1 + toUInt32(floor(log(${u(3)}) / log(0.55)))) AS n,
      toUInt32(floor(exp(${u(4)} * log(300)))) AS source_rank,
      ${u(5)} < 0.35 AS direct,
      if(direct, '', if(source_rank <= ${NAMED_SOURCES.length}, ${sourceNames}[source_rank], concat('ref', toString(source_rank), '.example'))) AS source,
      if(direct, '', concat('https://', if(source_rank <= ${NAMED_SOURCES.length}, ${sourceHosts}[source_rank], concat('ref', toString(source_rank), '.example')), '/')) AS referrer,
      ${u(6)} < 0.15 AS tagged,
      if(tagged, if(direct, 'newsletter', lower(source)), '') AS utm_source,
      if(tagged, ${['cpc', 'social', 'email']}[1 + cityHash64(${seed}, s, 7) % 3], '') AS utm_medium,
      if(tagged, ${CAMPAIGNS}[1 + toUInt32(floor(exp(${u(8)} * log(${CAMPAIGNS.length})))) - 1], '') AS utm_campaign,
      ${COUNTRIES}[toUInt32(floor(exp(${uv(1)} * log(${COUNTRIES.length + 1}))))] AS country,
      multiIf(${uv(2)} < 0.6, 'Desktop', ${uv(2)} < 0.95, 'Mobile', 'Tablet') AS device,
      ${['Chrome', 'Safari', 'Firefox', 'Edge', 'Samsung Internet', 'Opera']}[toUInt32(floor(exp(${uv(3)} * log(7))))] AS browser,
      if(device = 'Desktop', ${['Windows', 'Mac', 'GNU/Linux']}[1 + cityHash64(${seed}, v, 4) % 3], ${['Android', 'iOS']}[1 + cityHash64(${seed}, v, 4) % 2]) AS os
    FROM (
      SELECT number + ${firstSession} AS s,
        toUInt64(number + ${firstSession} - if(number + ${firstSession} > 0 AND cityHash64(${seed}, number + ${firstSession}, 9) % 4 = 0, 1, 0)) AS v
      FROM numbers(${sessions})
    )
  )
)
WHERE ts >= ${from} AND ts < ${opts.end}`;
}
