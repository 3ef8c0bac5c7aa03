import { parseArgs } from 'node:util';

/** A store outage: the store is stopped `atMs` after the load started and started again `forMs` later. */
export interface Outage {
  atMs: number;
  forMs: number;
}

export interface ChaosOptions {
  /** How long new events are sent; retries of unacknowledged ones may continue a little after. */
  loadMs: number;
  /** New events per second (retries come on top, as they would from real clients). */
  ratePerSecond: number;
  /** Requests in flight at most. */
  concurrency: number;
  /** Upper bound on new events, whatever the rate and duration say. */
  maxEvents: number;
  /** Attempts per event before the sender gives up on it (it then counts as sent, not acknowledged). */
  maxAttempts: number;
  /** How long unacknowledged events may still be retried after the load stopped. */
  retryGraceMs: number;
  redisOutage: Outage | null;
  clickhouseOutage: Outage | null;
  /** The receiver's link to Postgres cut (site decisions must come from its cache meanwhile). */
  postgresOutage: Outage | null;
  receiverKills: number;
  flusherKills: number;
  /** INGEST_WORKERS of the receiver: kill -9 then hits its cluster primary, as a node failure would. */
  receiverWorkers: number;
  /** Seeds the kill moments, so a run that found something can be repeated. */
  seed: number;
  /** How long to wait for stream, spool and ClickHouse to settle after the load. */
  drainTimeoutMs: number;
  /** Where the run's private stores, spool and logs live; each run gets its own folder inside. */
  dataRoot: string;
  /** Keep the run's folder (logs, spool, store data) instead of deleting it. */
  keepData: boolean;
  /** Postgres to create the throw-away database in. */
  postgresAdminUrl: string;
  /** Aborts the run (Ctrl-C); everything started is still cleaned up. */
  signal?: AbortSignal;
  /** Progress and fault lines; the default prints them. */
  log?: (line: string) => void;
}

/** About 3–4 minutes in all: ~20 s set-up, 150 s of load, then retries and the drain. */
export const DEFAULT_PROFILE = {
  loadMs: 150_000,
  ratePerSecond: 200,
  concurrency: 16,
  maxAttempts: 30,
  retryGraceMs: 60_000,
  redisOutage: { atMs: 25_000, forMs: 20_000 },
  clickhouseOutage: { atMs: 70_000, forMs: 30_000 },
  postgresOutage: { atMs: 105_000, forMs: 40_000 },
  receiverKills: 3,
  flusherKills: 3,
  drainTimeoutMs: 120_000,
} satisfies Partial<ChaosOptions>;

/** Every fault once or twice in ~40 s of load: for a quick check and the integration test. */
export const SHORT_PROFILE = {
  loadMs: 40_000,
  ratePerSecond: 150,
  concurrency: 12,
  maxAttempts: 30,
  retryGraceMs: 30_000,
  redisOutage: { atMs: 8_000, forMs: 6_000 },
  clickhouseOutage: { atMs: 20_000, forMs: 8_000 },
  postgresOutage: { atMs: 29_000, forMs: 9_000 },
  receiverKills: 2,
  flusherKills: 2,
  drainTimeoutMs: 90_000,
} satisfies Partial<ChaosOptions>;

export function defaultOptions(root: string, profile: 'default' | 'short' = 'default'): ChaosOptions {
  const base = profile === 'short' ? SHORT_PROFILE : DEFAULT_PROFILE;
  return {
    ...base,
    maxEvents: Math.ceil((base.ratePerSecond * base.loadMs) / 1000),
    seed: Math.floor(Math.random() * 2 ** 31),
    dataRoot: `${root}/.data/chaos`,
    keepData: false,
    receiverWorkers: 1,
    postgresAdminUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  };
}

export const USAGE = `npm run chaos:ingest [-- options]

Runs the receiver and flusher on private stores under steady load, injects faults, and counts
what was acknowledged against what ClickHouse stored. Exits 1 when an acknowledged event is lost.

  --short                 ~40 s of load with every fault (default: 150 s, ~3–4 min in all)
  --duration=S            seconds of load
  --rate=N                new events per second
  --concurrency=N         requests in flight
  --max-events=N          stop sending new events after N
  --redis-down=AT:FOR     stop Redis AT s into the load for FOR s ("off" for none)
  --clickhouse-down=AT:FOR  the same for ClickHouse
  --postgres-down=AT:FOR  cut the receiver's link to Postgres (site decisions) the same way
  --receiver-kills=N      kill -9 the receiver N times at random moments
  --flusher-kills=N       kill -9 the flusher N times at random moments
  --receiver-workers=N    run the receiver as N processes (INGEST_WORKERS; default 1)
  --seed=N                seed of the random kill moments (printed by every run)
  --drain-timeout=S       give up waiting for the drain after S s
  --postgres=URL          Postgres admin URL (default postgres://postgres@127.0.0.1:5432/postgres)
  --keep-data             keep .data/chaos/<run> (logs, store data) for diagnosis`;

/** Options from command-line flags; `null` when help was asked for. Throws on a bad flag. */
export function optionsFromArgs(argv: string[], root: string): ChaosOptions | null {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      short: { type: 'boolean' },
      duration: { type: 'string' },
      rate: { type: 'string' },
      concurrency: { type: 'string' },
      'max-events': { type: 'string' },
      'redis-down': { type: 'string' },
      'clickhouse-down': { type: 'string' },
      'postgres-down': { type: 'string' },
      'receiver-kills': { type: 'string' },
      'flusher-kills': { type: 'string' },
      'receiver-workers': { type: 'string' },
      seed: { type: 'string' },
      'drain-timeout': { type: 'string' },
      postgres: { type: 'string' },
      'keep-data': { type: 'boolean' },
    },
  });
  if (values.help) return null;
  const opts = defaultOptions(root, values.short ? 'short' : 'default');
  if (values.duration !== undefined) opts.loadMs = seconds('--duration', values.duration);
  if (values.rate !== undefined) opts.ratePerSecond = count('--rate', values.rate, 1);
  if (values.duration !== undefined || values.rate !== undefined)
    opts.maxEvents = Math.ceil((opts.ratePerSecond * opts.loadMs) / 1000);
  if (values['max-events'] !== undefined) opts.maxEvents = count('--max-events', values['max-events'], 1);
  if (values.concurrency !== undefined) opts.concurrency = count('--concurrency', values.concurrency, 1);
  if (values['redis-down'] !== undefined) opts.redisOutage = outage('--redis-down', values['redis-down']);
  if (values['clickhouse-down'] !== undefined)
    opts.clickhouseOutage = outage('--clickhouse-down', values['clickhouse-down']);
  if (values['postgres-down'] !== undefined)
    opts.postgresOutage = outage('--postgres-down', values['postgres-down']);
  if (values['receiver-kills'] !== undefined)
    opts.receiverKills = count('--receiver-kills', values['receiver-kills'], 0);
  if (values['flusher-kills'] !== undefined)
    opts.flusherKills = count('--flusher-kills', values['flusher-kills'], 0);
  if (values.seed !== undefined) opts.seed = count('--seed', values.seed, 0);
  if (values['drain-timeout'] !== undefined)
    opts.drainTimeoutMs = seconds('--drain-timeout', values['drain-timeout']);
  if (values.postgres !== undefined) opts.postgresAdminUrl = values.postgres;
  if (values['keep-data']) opts.keepData = true;
  if (values['receiver-workers'] !== undefined)
    opts.receiverWorkers = count('--receiver-workers', values['receiver-workers'], 1);
  return opts;
}

function seconds(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number of seconds`);
  return Math.round(n * 1000);
}

function count(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer ≥ ${min}`);
  return n;
}

function outage(flag: string, value: string): Outage | null {
  if (value === 'off' || value === 'none') return null;
  const [at, length, ...rest] = value.split(':');
  if (at === undefined || length === undefined || rest.length > 0)
    throw new Error(`${flag} must be AT:FOR in seconds, e.g. 25:20, or "off"`);
  const atMs = Number(at) * 1000;
  if (!Number.isFinite(atMs) || atMs < 0) throw new Error(`${flag}: AT must be ≥ 0 seconds`);
  return { atMs: Math.round(atMs), forMs: seconds(flag, length) };
}
