import type { Redis } from 'ioredis';
import { IngestError } from '../intake/ingest-error';

/** One accepted event whose session is decided by Redis in the same script that appends it. */
export interface SessionedEvent {
  siteId: number;
  /** Session keys of the visitor under today's and yesterday's salt (equal when there is none). */
  sessionKey: string;
  previousSessionKey: string;
  /** Session id to use when the visitor has no live session. */
  candidateSessionId: string;
  /** The row line is `prefix + sessionId + suffix` (`previousPrefix` when yesterday's session continues). */
  prefix: string;
  previousPrefix: string;
  suffix: string;
}

export const SESSION_IDLE_SECONDS = 30 * 60;

// One call per batch. First the site limits: per site in the batch, add its events to the site's
// counter for the window (the key rate-limiter-flexible uses, so the spool path's limiter counts
// the same events) and note the sites now over the limit with their time left. Then, for each
// event of a site within its limit: continue the visitor's session under today's id, else under
// yesterday's id (a session spanning midnight, keeping yesterday's visitor id), else start one;
// every hit pushes the 30-minute expiry forward (GETEX: read and touch in one command, Redis ≥ 6.2);
// then append the finished row to the stream.
// KEYS = stream, the site counters, then two session keys per event.
// ARGV = session ttl, site limit, window seconds, number of sites, the events per site, then
// per event: site index, candidate, prefix, previous prefix, suffix.
// Returns, per site, 0 when its events were appended, else the ms until its window ends.
const APPEND_SCRIPT = `
local ttl, limit, window, sites = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local over = {}
for j = 1, sites do
  local key, n = KEYS[1 + j], tonumber(ARGV[4 + j])
  local used = redis.call('INCRBY', key, n)
  if used == n then redis.call('EXPIRE', key, window) end
  if used > limit then
    local left = redis.call('PTTL', key)
    if left < 1 then left = 1 end
    over[j] = left
  else
    over[j] = 0
  end
end
local first = 2 + sites
local n = (#KEYS - 1 - sites) / 2
for i = 1, n do
  local a = 5 + sites + (i - 1) * 5
  if over[tonumber(ARGV[a])] == 0 then
    local current, previous = KEYS[first + 2 * (i - 1)], KEYS[first + 2 * (i - 1) + 1]
    local sid = redis.call('GETEX', current, 'EX', ttl)
    local prefix = ARGV[a + 2]
    if not sid then
      if previous ~= current then sid = redis.call('GETEX', previous, 'EX', ttl) end
      if sid then
        prefix = ARGV[a + 3]
      else
        sid = ARGV[a + 1]
        redis.call('SET', current, sid, 'EX', ttl)
      end
    end
    redis.call('XADD', KEYS[1], '*', 'r', prefix .. sid .. ARGV[a + 4])
  end
end
return over
`;

/** The per-site limit the script applies (shared with IngestRateLimiter's site limiter). */
export interface SiteLimit {
  /** Counter key of a site. */
  key(siteId: number): string;
  points: number;
  windowSeconds: number;
}

type AppendRedis = Redis & { sightlineAppend(...args: (string | number)[]): Promise<number[]> };

interface Waiting {
  event: SessionedEvent;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Collects the events accepted within about a millisecond and hands them to Redis together: one
 * script call per batch for the site limits, sessions and appends (one round trip, where a
 * round trip per site and per event cost more CPU than everything else the receiver does). Each
 * caller's promise settles with its own event's outcome (429 when its site is over its limit).
 */
export class BatchedEventAppender {
  private readonly redis: AppendRedis;
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(
    redis: Redis,
    private readonly streamKey: string,
    private readonly siteLimit: SiteLimit,
    private readonly maxBatch = 500,
    /** How long the first event of a batch waits for company: trades ~1 ms of latency for CPU. */
    private readonly windowMs = 1,
  ) {
    if (!('sightlineAppend' in redis)) redis.defineCommand('sightlineAppend', { lua: APPEND_SCRIPT });
    this.redis = redis as AppendRedis;
  }

  append(event: SessionedEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ event, resolve, reject });
      if (this.waiting.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setTimeout(() => this.flush(), this.windowMs);
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.waiting.splice(0, this.maxBatch);
    if (this.waiting.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setTimeout(() => this.flush(), this.windowMs);
    }
    if (batch.length > 0) void this.write(batch);
  }

  private async write(batch: Waiting[]): Promise<void> {
    // A site over its limit gets 429 for its events of the batch (at most ~1 ms of them).
    const siteIndex = new Map<number, number>();
    const siteCounts: number[] = [];
    const siteKeys: string[] = [];
    for (const { event } of batch) {
      let j = siteIndex.get(event.siteId);
      if (j === undefined) {
        j = siteKeys.length + 1;
        siteIndex.set(event.siteId, j);
        siteKeys.push(this.siteLimit.key(event.siteId));
        siteCounts.push(0);
      }
      siteCounts[j - 1] = (siteCounts[j - 1] ?? 0) + 1;
    }
    const keys = [this.streamKey, ...siteKeys];
    const args: (string | number)[] = [
      SESSION_IDLE_SECONDS,
      this.siteLimit.points,
      this.siteLimit.windowSeconds,
      siteKeys.length,
      ...siteCounts,
    ];
    for (const { event } of batch) {
      keys.push(event.sessionKey, event.previousSessionKey);
      args.push(
        siteIndex.get(event.siteId) as number,
        event.candidateSessionId,
        event.prefix,
        event.previousPrefix,
        event.suffix,
      );
    }
    let over: number[];
    try {
      over = await this.redis.sightlineAppend(keys.length, ...keys, ...args);
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    for (const w of batch) {
      const msLeft = Number(over[(siteIndex.get(w.event.siteId) as number) - 1] ?? 0);
      if (msLeft > 0)
        w.reject(
          new IngestError(
            429,
            'rate_limited_site',
            'Too many events for this site',
            Math.ceil(msLeft / 1000),
          ),
        );
      else w.resolve();
    }
  }
}
