import type { Redis } from 'ioredis';

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

// For each event: continue the visitor's session under today's id, else under yesterday's id (a
// session spanning midnight, keeping yesterday's visitor id), else start one; every hit pushes the
// 30-minute expiry forward; then append the finished row to the stream. KEYS = stream, then two
// session keys per event; ARGV = ttl, then candidate, prefix, previous prefix, suffix per event.
const APPEND_SCRIPT = `
local ttl = ARGV[1]
local n = (#KEYS - 1) / 2
for i = 1, n do
  local current, previous = KEYS[2 * i], KEYS[2 * i + 1]
  local a = 2 + (i - 1) * 4
  local sid = redis.call('GET', current)
  local prefix = ARGV[a + 1]
  if sid then
    redis.call('EXPIRE', current, ttl)
  else
    if previous ~= current then sid = redis.call('GET', previous) end
    if sid then
      redis.call('EXPIRE', previous, ttl)
      prefix = ARGV[a + 2]
    else
      sid = ARGV[a]
      redis.call('SET', current, sid, 'EX', ttl)
    end
  end
  redis.call('XADD', KEYS[1], '*', 'r', prefix .. sid .. ARGV[a + 3])
end
return n
`;

type AppendRedis = Redis & { sightlineAppend(...args: (string | number)[]): Promise<number> };

interface Waiting {
  event: SessionedEvent;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Collects the events accepted within about a millisecond and hands them to Redis together: one
 * rate-limit call per site and one script call for all sessions and appends, instead of three
 * commands per event (which cost more CPU than everything else the receiver does). Each caller's
 * promise settles with its own event's outcome.
 */
export class BatchedEventAppender {
  private readonly redis: AppendRedis;
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(
    redis: Redis,
    private readonly streamKey: string,
    /** Charges `events` to a site's rate limit; rejects (429) when the site is over it. */
    private readonly chargeSite: (siteId: number, events: number) => Promise<void>,
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
    // One charge per site per batch: a site over its limit gets 429 for the whole batch (at most
    // ~1 ms of its events), which keeps limiting to one Redis call per site instead of per event.
    const bySite = new Map<number, Waiting[]>();
    for (const w of batch) bySite.set(w.event.siteId, [...(bySite.get(w.event.siteId) ?? []), w]);
    const allowed: Waiting[] = [];
    await Promise.all(
      [...bySite].map(([siteId, items]) =>
        this.chargeSite(siteId, items.length).then(
          () => void allowed.push(...items),
          (err: unknown) => items.forEach((w) => w.reject(err)),
        ),
      ),
    );
    if (allowed.length === 0) return;
    const keys = [this.streamKey];
    const args: string[] = [String(SESSION_IDLE_SECONDS)];
    for (const { event } of allowed) {
      keys.push(event.sessionKey, event.previousSessionKey);
      args.push(event.candidateSessionId, event.prefix, event.previousPrefix, event.suffix);
    }
    try {
      await this.redis.sightlineAppend(keys.length, ...keys, ...args);
      for (const w of allowed) w.resolve();
    } catch (err) {
      for (const w of allowed) w.reject(err);
    }
  }
}
