// `npm run bench:query [-- --events=1000000 --runs=10]`: how long the query engine takes for the
// requests the dashboard sends on opening a site, against ClickHouse, compared with the cheapest
// full scan of the same site and range measured in the same run. Seeds a private, throw-away
// ClickHouse (bench-run.ts) through the seed's code path; everything started is removed again,
// also on Ctrl-C. A measurement, not a test: it asserts no timings.
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { insertSites, withPostgres } from '@sightline/harness';
import { createClickHouseClient, EventsRepository, type ClickHouseClient } from '@sightline/clickhouse';
import { CountryLookup, EventEnricher } from '@sightline/ingest';
import {
  authorizeSite,
  DEFAULT_SAMPLE_ABOVE_ROWS,
  DEFAULT_SAMPLE_TARGET_ROWS,
  QueryEngine,
  type AuthorizedSite,
  type QueryEngineOptions,
} from '@sightline/query';
import { benchRun, runBench, startBenchStores } from './bench-run';
import { BENCH_SITE_DOMAINS } from './event-pool';
import { BASELINE_CASE, BENCH_DATE_RANGE, benchRange, QUERY_CASES, type BenchContext } from './query-cases';
import { printQueryReport, type CaseResult, type SiteFigures } from './query-report';
import { loggingClient, rowsRead } from './query-rows-read';
import { bulkSeedSiteEvents } from './query-bulk-seed';
import { printConcurrentReport, type ConcurrentFigures } from './query-concurrent-report';
import { seedSiteEvents } from './query-seed';
/** The demo site's zone: day buckets and ranges then need the timezone-aware code paths. */
const BENCH_TIMEZONE = 'Europe/Berlin';
const SEED_DAYS = 30;
/** The second site gets this share of the first one's events. */
const SECOND_SITE_SHARE = 0.1;

const USAGE = `Usage: npm run bench:query [-- --events=N --runs=N --rounds=N --seed=bulk|pipeline]

Seeds a private, throw-away ClickHouse with N events over ${SEED_DAYS} days for one site, plus
${SECOND_SITE_SHARE * 100}% as many for a second site in the same table, then times the dashboard's
Stats API v2 requests through QueryEngine against a baseline full scan of the same site and range:
first one at a time, then all of them at once, as the browser sends them.

  --events=N   events for the main site (default 1000000)
  --runs=N     measured runs per query one at a time, after one warm-up (default 10)
  --rounds=N   rounds of the whole dashboard request set sent concurrently (default 10)
  --sample-above=N  sample sites with more than N events in the range (default the engine's; off)
  --sample-target=N  a sampled scan reads about N rows (default the engine's)
  --raw        the engine without rollups and sampling (the plain-events figures)
  --compare-without-sessions-table  also time the concurrent dashboard with the same engine but
               without the sessions table, rounds interleaved with the main ones (same machine state)
  --seed=bulk  generate the rows inside ClickHouse (INSERT ... SELECT, fast; the default)
  --seed=pipeline  the demo traffic generator through the receiver's enrichment and the
               JSONEachRow insert (realistic to the byte, ~20k events/s)
  --help       this text`;

function say(message: string): void {
  console.log(`[bench] ${message}`);
}

interface BenchOptions {
  events: number;
  runs: number;
  rounds: number;
  seed: 'bulk' | 'pipeline';
  engine: QueryEngineOptions;
  /** Interleave concurrent rounds of this second engine (the A/B of one lever). */
  compareEngine: QueryEngineOptions | null;
}

function options(): BenchOptions | 'help' {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '1000000' },
      runs: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '10' },
      seed: { type: 'string', default: 'bulk' },
      'sample-above': { type: 'string' },
      'sample-target': { type: 'string' },
      raw: { type: 'boolean', default: false },
      'compare-without-sessions-table': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  if (values.seed !== 'bulk' && values.seed !== 'pipeline')
    throw new Error('--seed must be bulk or pipeline');
  const positive = (name: 'events' | 'runs' | 'rounds', max: number): number => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new Error(`--${name} must be an integer in 1..${max.toLocaleString('en-US')}`);
    return n;
  };
  return {
    events: positive('events', 100_000_000),
    runs: positive('runs', 10_000),
    rounds: positive('rounds', 10_000),
    seed: values.seed,
    engine: engineOptions(values.raw, values['sample-above'], values['sample-target']),
    compareEngine: values['compare-without-sessions-table']
      ? {
          ...engineOptions(values.raw, values['sample-above'], values['sample-target']),
          sessionsTable: false,
        }
      : null,
  };
}

function engineOptions(
  raw: boolean,
  sampleAbove: string | undefined,
  sampleTarget: string | undefined,
): QueryEngineOptions {
  if (raw) return { rollups: false, sampleAboveRows: null };
  const opts: QueryEngineOptions = {};
  const positive = (flag: string, value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer`);
    return n;
  };
  if (sampleAbove === 'off') opts.sampleAboveRows = null;
  else if (sampleAbove !== undefined) opts.sampleAboveRows = positive('--sample-above', sampleAbove);
  if (sampleTarget !== undefined) opts.sampleTargetRows = positive('--sample-target', sampleTarget);
  return opts;
}

const run = benchRun(say);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- the run ---------------------------------------------------------------------------------

async function main(opts: BenchOptions): Promise<void> {
  const stores = await startBenchStores(run);
  const domains = BENCH_SITE_DOMAINS.slice(0, 2);
  const sites = await createSites(stores.env.DATABASE_URL, domains);

  const client = createClickHouseClient(
    { url: stores.env.CLICKHOUSE_URL, database: stores.env.CLICKHOUSE_DATABASE },
    { requestTimeoutMs: 300_000 },
  );
  run.cleanup.push('close the clickhouse client', () => client.close());

  // ---- seed
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const targets = sites.map((site, i) => ({
    id: site.id,
    domain: site.domain,
    events: i === 0 ? opts.events : Math.max(1, Math.round(opts.events * SECOND_SITE_SHARE)),
  }));
  const enricher = opts.seed === 'pipeline' ? new EventEnricher(await CountryLookup.open()) : null;
  const seedStart = performance.now();
  let seeded = 0;
  for (const [i, target] of targets.entries()) {
    say(
      `seeding ${target.events.toLocaleString('en-US')} events over ${SEED_DAYS} days for ${target.domain} (${opts.seed})`,
    );
    const seedOpts = { end: now, days: SEED_DAYS, seed: 7_001 + i };
    seeded += enricher
      ? await seedSiteEvents(client, enricher, target, seedOpts)
      : await bulkSeedSiteEvents(client, target, seedOpts);
  }
  const seedMs = performance.now() - seedStart;
  say('waiting for background merges to settle');
  const mergeStart = performance.now();
  await waitForMerges(client, 300_000);
  const mergeWaitMs = performance.now() - mergeStart;

  // ---- measure
  const engine = new QueryEngine(client, opts.engine);
  say(
    `engine options: ${JSON.stringify(opts.engine)} (defaults: rollups on, sample above ${DEFAULT_SAMPLE_ABOVE_ROWS.toLocaleString('en-US')} rows in range down to ~${DEFAULT_SAMPLE_TARGET_ROWS.toLocaleString('en-US')})`,
  );
  const contexts: BenchContext[] = sites.map((site) => ({ engine, client, site, now }));
  const cases = [BASELINE_CASE, ...QUERY_CASES];
  const timings = contexts.map(() => cases.map((): number[] => []));
  const results = contexts.map(() => cases.map(() => ''));

  const round = async (record: boolean) => {
    for (const [s, ctx] of contexts.entries()) {
      for (const [c, queryCase] of cases.entries()) {
        const start = performance.now();
        const result = await queryCase.run(ctx);
        const elapsed = performance.now() - start;
        if (!record) continue;
        timings[s]?.[c]?.push(elapsed);
        (results[s] as string[])[c] = result;
      }
    }
  };
  say(`warm-up: every query once for each site`);
  await round(false);
  say(`measuring: ${opts.runs} rounds of ${cases.length} statements × ${contexts.length} sites, round-robin`);
  for (let r = 0; r < opts.runs; r++) await round(true);

  say('one more un-timed run with system.query_log on, for rows read');
  const events = new EventsRepository(client);
  const figures: SiteFigures[] = [];
  for (const [s, ctx] of contexts.entries()) {
    const caseResults: CaseResult[] = [];
    for (const [c, queryCase] of cases.entries()) {
      const logged = loggingClient(client);
      await queryCase.run({
        ...ctx,
        engine: new QueryEngine(logged.client, opts.engine),
        client: logged.client,
      });
      caseResults.push({
        label: queryCase.label,
        timingsMs: timings[s]?.[c] ?? [],
        result: results[s]?.[c] ?? '',
        statements: logged.ids.length,
        rowsRead: await rowsRead(client, logged.ids),
      });
    }
    const [baseline, ...rest] = caseResults;
    if (!baseline) throw new Error('no baseline result');
    figures.push({
      domain: ctx.site.domain,
      siteId: ctx.site.id,
      events: await events.countForSite(ctx.site.id),
      baseline,
      cases: rest,
    });
  }

  const firstSite = sites[0] as AuthorizedSite;
  const firstContext = contexts[0] as BenchContext;
  say(
    `concurrent: ${opts.rounds} rounds of the ${QUERY_CASES.length} dashboard requests at once for ${firstSite.domain}`,
  );
  const figuresFor = (): ConcurrentFigures => ({
    rounds: opts.rounds,
    baselineMs: timings[0]?.[0] ?? [],
    cases: QUERY_CASES.map((c) => ({ label: c.label, timingsMs: [] })),
    roundMs: [],
  });
  const measureRound = async (ctx: BenchContext, into: ConcurrentFigures) => {
    const start = performance.now();
    const elapsed = await dashboardRound(ctx);
    into.roundMs.push(performance.now() - start);
    elapsed.forEach((ms, c) => into.cases[c]?.timingsMs.push(ms));
  };
  const compareContext = opts.compareEngine
    ? { ...firstContext, engine: new QueryEngine(client, opts.compareEngine) }
    : null;
  await dashboardRound(firstContext); // warm-up
  if (compareContext) await dashboardRound(compareContext);
  const concurrent = figuresFor();
  const compared = figuresFor();
  for (let r = 0; r < opts.rounds; r++) {
    await measureRound(firstContext, concurrent);
    if (compareContext) await measureRound(compareContext, compared);
  }
  printQueryReport({
    runs: opts.runs,
    clickhouseVersion: await scalar(client, 'SELECT version() AS v'),
    cpus: `${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}) shared by ClickHouse and this process`,
    timezone: BENCH_TIMEZONE,
    dateRange: BENCH_DATE_RANGE,
    range: benchRange(firstSite, now),
    now,
    seed: {
      events: seeded,
      ms: seedMs,
      how:
        opts.seed === 'bulk'
          ? 'INSERT ... SELECT generated inside ClickHouse, rollup views included'
          : 'generate + enrich + serialise + INSERT, pipelined',
    },
    mergeWaitMs,
    activeParts: Number(
      await scalar(
        client,
        `SELECT count() AS v FROM system.parts WHERE database = currentDatabase() AND table = 'events' AND active`,
      ),
    ),
    tableRows: Number(await scalar(client, 'SELECT count() AS v FROM events')),
    sites: figures,
  });
  if (compareContext) {
    console.log(`\nthe same, interleaved, engine options ${JSON.stringify(opts.compareEngine)}:`);
    printConcurrentReport(compared);
    console.log(`\nengine options ${JSON.stringify(opts.engine)}:`);
  }
  printConcurrentReport(concurrent);
}

/** The dashboard's requests all at once, as the browser sends them on opening a site: each one's wall time. */
async function dashboardRound(ctx: BenchContext): Promise<number[]> {
  return Promise.all(
    QUERY_CASES.map(async (queryCase) => {
      const start = performance.now();
      await queryCase.run(ctx);
      return performance.now() - start;
    }),
  );
}

/** The bench's sites as the API would see them after its access check (the bench is the operator). */
async function createSites(databaseUrl: string, domains: readonly string[]): Promise<AuthorizedSite[]> {
  await insertSites(databaseUrl, domains, 'bench');
  return withPostgres(databaseUrl, async (pg) => {
    const { rows } = await pg.query<{ id: number; domain: string; timezone: string }>(
      'UPDATE sites SET timezone = $1 WHERE domain = ANY($2) RETURNING id, domain, timezone',
      [BENCH_TIMEZONE, domains],
    );
    return domains.map((domain) => {
      const row = rows.find((r) => r.domain === domain);
      if (!row) throw new Error(`site ${domain} was not created`);
      return authorizeSite({ id: Number(row.id), domain: row.domain, timezone: row.timezone });
    });
  });
}

/** Statements without values (fixed text), returning one column `v` of one row. */
async function scalar(client: ClickHouseClient, query: string): Promise<string> {
  const rs = await client.query({ query, format: 'JSONEachRow' });
  const rows = await rs.json<{ v: string | number }>();
  return String(rows[0]?.v ?? '');
}

/** Timings are taken on a table whose parts the server is no longer merging (twice idle in a row). */
async function waitForMerges(client: ClickHouseClient, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let idle = 0;
  while (idle < 2) {
    if (Date.now() > deadline) {
      say(`merges still running after ${timeoutMs / 1000} s; measuring anyway`);
      return;
    }
    const running = Number(
      await scalar(client, 'SELECT count() AS v FROM system.merges WHERE database = currentDatabase()'),
    );
    idle = running === 0 ? idle + 1 : 0;
    await sleep(500);
  }
}

let opts: ReturnType<typeof options>;
try {
  opts = options();
} catch (err) {
  console.error(`[bench] ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
  process.exit(2);
}
if (opts === 'help') {
  console.log(USAGE);
  process.exit(0);
}

const chosen = opts;
runBench(run, async () => {
  await main(chosen);
  return 0;
});
