// Seeds `web_vitals` for the demo site from the same synthetic traffic as its events (skipped when
// the site already has vitals), enriched like the receiver does (path, device, country, browser).
import { sql, WebVitalsRepository, type ClickHouseClient } from '@sightline/clickhouse';
import { serializeVitalsRow } from '@sightline/events';
import { CountryLookup, EventEnricher, hashVisitor, parsePageUrl } from '@sightline/ingest';
import { generateTraffic, type GenerateTrafficOptions } from './traffic-generator';
import { generateVitals } from './vitals-generator';

const BATCH = 5000;

export async function seedDemoVitals(
  clickhouse: ClickHouseClient,
  siteId: number,
  traffic: GenerateTrafficOptions,
): Promise<number> {
  const rs = await clickhouse.query({
    query: sql`SELECT count() AS c FROM web_vitals WHERE site_id = ${siteId}`.text,
    format: 'JSONEachRow',
  });
  if (Number((await rs.json<{ c: string }>())[0]?.c ?? 0) > 0) return 0;
  const enricher = new EventEnricher(await CountryLookup.open());
  const lines = generateVitals(generateTraffic(traffic), traffic.end).map((v, index) => {
    const { hit } = v;
    const event = enricher.enrich(
      { name: 'vitals', url: hit.url, domain: traffic.domain, referrer: null },
      parsePageUrl(hit.url),
      siteId,
      { ip: hit.ip, userAgent: hit.userAgent },
      hit.timestamp,
    );
    return serializeVitalsRow({
      event_id: hashVisitor('demo-seed-vitals', siteId, String(index), ''),
      visitor_id: hashVisitor('demo-seed-visitor', siteId, hit.visitorKey, hit.userAgent),
      site_id: siteId,
      timestamp: event.timestamp,
      hostname: event.hostname,
      pathname: event.pathname,
      country_code: event.country_code,
      browser: event.browser,
      os: event.os,
      device: event.device,
      lcp: v.lcp,
      inp: v.inp,
      cls: v.cls,
      fcp: v.fcp,
      ttfb: v.ttfb,
    });
  });
  const repository = new WebVitalsRepository(clickhouse);
  for (let i = 0; i < lines.length; i += BATCH) await repository.insertJsonLines(lines.slice(i, i + BATCH));
  return lines.length;
}
