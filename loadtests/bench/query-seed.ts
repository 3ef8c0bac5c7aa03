// Fills the query bench's private ClickHouse with synthetic traffic through the seed's code path
// (scripts/seed/seed-demo.ts): the demo traffic generator, the receiver's enrichment, the row
// serialiser and EventsRepository's JSONEachRow insert. One day is generated at a time, so a
// million events never sit in memory at once, and the next day is built while the last one inserts
// (in slices that yield to the event loop, so the insert's body keeps streaming meanwhile).
import { setImmediate as nextTurn } from 'node:timers/promises';
import { EventsRepository, type ClickHouseClient } from '@sightline/clickhouse';
import { serializeEventRow } from '@sightline/events';
import { EventEnricher, hashVisitor, parsePageUrl } from '@sightline/ingest';
import { generateTraffic, type SyntheticHit } from '../../scripts/seed/traffic-generator';

const DAY_MS = 86_400_000;
/** Hits per unit of the generator's `visitorsPerDay` on one day (~2.2 measured); refined per site as it runs. */
const INITIAL_HITS_PER_VISITOR = 2.2;
/** Rows enriched and serialised between two turns of the event loop. */
const SLICE = 2_000;

export interface SeedTarget {
  id: number;
  domain: string;
  /** Exactly this many events are written. */
  events: number;
}

export interface SeedOptions {
  /** Exclusive end of the traffic; the last day ends here, so "now" has live visitors. */
  end: Date;
  days: number;
  seed: number;
}

/**
 * Writes `target.events` events spread over `days` days ending at `end`, with the generator's
 * daily curve, sources, countries and devices. Visitors do not return across days (each day is
 * its own generator run). Returns the number of rows inserted, after checking the table holds them.
 */
export async function seedSiteEvents(
  client: ClickHouseClient,
  enricher: EventEnricher,
  target: SeedTarget,
  opts: SeedOptions,
): Promise<number> {
  const events = new EventsRepository(client);
  let written = 0;
  let hitsPerVisitor = INITIAL_HITS_PER_VISITOR;
  let inserting: Promise<void> = Promise.resolve();

  for (let day = 0; day < opts.days; day++) {
    const lastDay = day === opts.days - 1;
    // Spread what is left over the days left, so one day's noise is made up by the next ones.
    const want = Math.round((target.events - written) / (opts.days - day));
    if (want <= 0) continue;
    const dayEnd = new Date(opts.end.getTime() - (opts.days - 1 - day) * DAY_MS);
    const daySeed = opts.seed * 1_000 + day;

    let visitorsPerDay = Math.max(1, want / hitsPerVisitor);
    let hits = generateDay(target.domain, dayEnd, daySeed, visitorsPerDay);
    hitsPerVisitor = Math.max(0.5, hits.length / visitorsPerDay);
    // The last day has to reach the exact total: ask for more until there is enough, then thin.
    for (let attempt = 0; lastDay && hits.length < want && attempt < 8; attempt++) {
      visitorsPerDay *= (1.2 * want) / Math.max(1, hits.length);
      hits = generateDay(target.domain, dayEnd, daySeed, visitorsPerDay);
    }
    const keep = lastDay ? want : Math.min(hits.length, target.events - written);
    const lines = await toRowLines(enricher, target, thinEvenly(hits, keep), day);
    written += lines.length;

    // Built while the previous day was being inserted; now wait for it before sending this one.
    await inserting;
    inserting = insert(events, lines);
    // Rejections surface at the next `await inserting`; this only stops an "unhandled" warning first.
    inserting.catch(() => undefined);
  }
  await inserting;
  // The table is private and fresh, so it must now hold exactly this (a retried insert stored once).
  const stored = await events.countForSite(target.id);
  if (written !== target.events || stored !== target.events)
    throw new Error(
      `seeding ${target.domain}: generated ${written}, stored ${stored}, expected ${target.events} events`,
    );
  return written;
}

/**
 * One INSERT. A keep-alive socket the server closed while this process was busy is only noticed
 * in the event loop's I/O phase, so take one turn first; a write that still hits a closed socket
 * (EPIPE: the server read no body, so stored nothing) is sent once more on a new connection.
 */
async function insert(events: EventsRepository, lines: readonly string[]): Promise<void> {
  await nextTurn();
  try {
    await events.insertJsonLines(lines);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
    await nextTurn();
    await events.insertJsonLines(lines);
  }
}

function generateDay(domain: string, end: Date, seed: number, visitorsPerDay: number): SyntheticHit[] {
  return generateTraffic({ domain, end, days: 1, seed, visitorsPerDay });
}

/** Keeps exactly `count` hits, evenly spread over the (time-sorted) list, the latest hit included. */
function thinEvenly(hits: SyntheticHit[], count: number): SyntheticHit[] {
  if (count >= hits.length) return hits;
  return hits.filter(
    (_, i) => Math.floor(((i + 1) * count) / hits.length) > Math.floor((i * count) / hits.length),
  );
}

/** The same row building as seed-demo.ts: enrich like the receiver, hash synthetic keys to ids. */
async function toRowLines(
  enricher: EventEnricher,
  site: SeedTarget,
  hits: readonly SyntheticHit[],
  day: number,
): Promise<string[]> {
  const lines: string[] = [];
  for (const [index, hit] of hits.entries()) {
    if (index > 0 && index % SLICE === 0) await nextTurn();
    const body = {
      name: hit.name,
      url: hit.url,
      domain: site.domain,
      referrer: hit.referrer,
      props: hit.props ?? null,
    };
    const row = enricher.enrich(
      body,
      parsePageUrl(hit.url),
      site.id,
      { ip: hit.ip, userAgent: hit.userAgent },
      hit.timestamp,
    );
    const visitorId = hashVisitor('bench-seed-visitor', site.id, hit.visitorKey, hit.userAgent);
    const sessionId = hashVisitor('bench-seed-session', site.id, hit.sessionKey, hit.userAgent);
    const eventId = hashVisitor('bench-seed-event', site.id, `${day}:${index}`, '');
    lines.push(
      serializeEventRow({ ...row, visitor_id: visitorId, session_id: sessionId, event_id: eventId }),
    );
  }
  return lines;
}
