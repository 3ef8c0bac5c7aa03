// Steady load on the receiver, the way a population of browsers would send it: every event is a
// valid pageview carrying a unique `seq`; what is not acknowledged is retried later with the
// same seq, so the ledger can tell exactly which events the service promised to keep.
import { Agent, request } from 'node:http';

/** Realistic desktop Chrome user agents: the receiver drops bots with a 202, which would hide loss. */
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
];
const PATHS = ['/', '/pricing', '/blog/launch', '/docs/getting-started', '/about', '/signup'];
const REFERRERS = [null, 'https://www.google.com/', 'https://news.ycombinator.com/', null];
/** Documentation address blocks (RFC 5737): 762 made-up visitors that can never be real ones. */
const CLIENT_NETS = ['192.0.2', '198.51.100', '203.0.113'];
const CLIENT_IPS = CLIENT_NETS.length * 254;

/**
 * The visitor behind the load balancer. One loopback address for all traffic would trip the
 * per-IP rate limit (429) like no real population does; a retry comes from the same visitor.
 */
export function clientIp(seq: number): string {
  const i = seq % CLIENT_IPS;
  return `${CLIENT_NETS[i % CLIENT_NETS.length]}.${1 + Math.floor(i / CLIENT_NETS.length)}`;
}

export interface SeqRecord {
  attempts: number;
  /** Milliseconds since the load started at which the first 202 came; null if none did. */
  ackedAtMs: number | null;
  /** Attempts whose fate is unknown (reset, timeout): the receiver may have stored the event. */
  ambiguous: number;
  /** A 4xx other than 429: a bug in this script's events, not retried. */
  rejectedStatus: number | null;
}

export interface SenderOptions {
  baseUrl: string;
  domain: string;
  ratePerSecond: number;
  concurrency: number;
  maxEvents: number;
  maxAttempts: number;
  loadMs: number;
  retryGraceMs: number;
  requestTimeoutMs: number;
}

type Outcome = { status: number; retryAfterS: number | null } | { error: string; ambiguous: boolean };

export class EventSender {
  readonly ledger = new Map<number, SeqRecord>();
  /** Responses by kind ("202", "503", "refused", "reset", …), for the report. */
  readonly outcomes = new Map<string, number>();
  private readonly retries = new RetryQueue();
  private readonly agent: Agent;
  private nextSeq = 1;
  private inFlight = 0;
  private startedAt = 0;
  /** Time from the end of the load until the last retry settled. */
  retryTailMs = 0;

  constructor(private readonly opts: SenderOptions) {
    // Keep-alive like a browser; one socket per request in flight at most.
    this.agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  }

  /** Sends new events for `loadMs`, then keeps retrying unacknowledged ones for up to `retryGraceMs`. */
  async run(signal: AbortSignal, onTick?: (elapsedMs: number) => void): Promise<void> {
    this.startedAt = Date.now();
    const loadEnd = this.startedAt + this.opts.loadMs;
    const graceEnd = loadEnd + this.opts.retryGraceMs;
    let lastTick = 0;
    try {
      for (;;) {
        const now = Date.now();
        if (signal.aborted) break;
        const loading = now < loadEnd && this.nextSeq <= this.opts.maxEvents;
        if (!loading && (now >= graceEnd || (this.retries.size === 0 && this.inFlight === 0))) break;
        this.dispatch(now, loading);
        if (onTick && now - lastTick >= 1000) {
          lastTick = now;
          onTick(now - this.startedAt);
        }
        await sleep(10);
      }
      while (this.inFlight > 0) await sleep(10);
      this.retryTailMs = Math.max(0, Date.now() - loadEnd);
    } finally {
      this.agent.destroy();
    }
  }

  /** Events still waiting for a retry when the sender stopped: sent, never acknowledged. */
  get gaveUp(): number {
    let n = 0;
    for (const rec of this.ledger.values()) if (rec.ackedAtMs === null && rec.rejectedStatus === null) n += 1;
    return n;
  }

  get pendingRetries(): number {
    return this.retries.size;
  }

  private dispatch(now: number, loading: boolean): void {
    // Retries first: they are the oldest unacknowledged events.
    while (this.inFlight < this.opts.concurrency) {
      const seq = this.retries.popDue(now);
      if (seq === null) break;
      this.attempt(seq);
    }
    if (!loading) return;
    const allowed = Math.min(
      this.opts.maxEvents,
      Math.floor(((now - this.startedAt) * this.opts.ratePerSecond) / 1000) + 1,
    );
    while (this.inFlight < this.opts.concurrency && this.nextSeq <= allowed) {
      const seq = this.nextSeq++;
      this.ledger.set(seq, { attempts: 0, ackedAtMs: null, ambiguous: 0, rejectedStatus: null });
      this.attempt(seq);
    }
  }

  private attempt(seq: number): void {
    const rec = this.ledger.get(seq);
    if (!rec) return;
    rec.attempts += 1;
    this.inFlight += 1;
    void this.post(seq).then((outcome) => {
      this.inFlight -= 1;
      this.settle(seq, rec, outcome);
    });
  }

  private settle(seq: number, rec: SeqRecord, outcome: Outcome): void {
    const kind = 'status' in outcome ? String(outcome.status) : outcome.error;
    this.outcomes.set(kind, (this.outcomes.get(kind) ?? 0) + 1);
    if ('status' in outcome && outcome.status === 202) {
      rec.ackedAtMs ??= Date.now() - this.startedAt;
      return;
    }
    if ('status' in outcome && outcome.status >= 400 && outcome.status < 500 && outcome.status !== 429) {
      rec.rejectedStatus = outcome.status;
      return;
    }
    if ('error' in outcome && outcome.ambiguous) rec.ambiguous += 1;
    if (rec.attempts >= this.opts.maxAttempts) return; // gives up: counted as sent, not acknowledged
    this.retries.push(
      seq,
      Date.now() + retryDelay(rec.attempts, 'status' in outcome ? outcome.retryAfterS : null),
    );
  }

  private post(seq: number): Promise<Outcome> {
    const body = JSON.stringify({
      name: 'pageview',
      url: `https://${this.opts.domain}${PATHS[seq % PATHS.length]}`,
      domain: this.opts.domain,
      referrer: REFERRERS[seq % REFERRERS.length],
      props: { seq },
    });
    const url = new URL('/api/event', this.opts.baseUrl);
    return new Promise((resolve) => {
      const req = request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            // What the tracker's sendBeacon sends.
            'content-type': 'text/plain;charset=UTF-8',
            'content-length': Buffer.byteLength(body),
            'user-agent': USER_AGENTS[seq % USER_AGENTS.length],
            // The sender plays the ingress proxy (TRUSTED_PROXY_HOPS=1) in front of the receiver.
            'x-forwarded-for': clientIp(seq),
          },
        },
        (res) => {
          res.resume();
          res.once('end', () => {
            const retryAfter = Number(res.headers['retry-after']);
            resolve({
              status: res.statusCode ?? 0,
              retryAfterS: Number.isFinite(retryAfter) ? retryAfter : null,
            });
          });
          res.once('error', () => resolve({ error: 'reset', ambiguous: true }));
        },
      );
      req.setTimeout(this.opts.requestTimeoutMs, () =>
        req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })),
      );
      req.once('error', (err: NodeJS.ErrnoException) => {
        // Refused means the request never reached a process; anything else may have reached it.
        if (err.code === 'ECONNREFUSED') resolve({ error: 'refused', ambiguous: false });
        else if (err.code === 'TIMEOUT') resolve({ error: 'timeout', ambiguous: true });
        else if (err.code === 'ECONNRESET' || err.message === 'socket hang up')
          resolve({ error: 'reset', ambiguous: true });
        else resolve({ error: `error ${err.code ?? err.message}`, ambiguous: true });
      });
      req.end(body);
    });
  }
}

/** Capped exponential backoff with jitter, never sooner than the server's Retry-After. */
function retryDelay(attempts: number, retryAfterS: number | null): number {
  const base = Math.min(5000, 250 * 2 ** Math.min(attempts - 1, 10));
  const backoff = base / 2 + Math.random() * (base / 2);
  if (retryAfterS === null) return backoff;
  return Math.max(backoff, Math.min(10_000, retryAfterS * 1000 * (0.8 + Math.random() * 0.4)));
}

/** Min-heap of seqs by due time: thousands of events may wait during an outage. */
class RetryQueue {
  private readonly items: { seq: number; due: number }[] = [];

  get size(): number {
    return this.items.length;
  }

  push(seq: number, due: number): void {
    this.items.push({ seq, due });
    for (let i = this.items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (this.due(parent) <= this.due(i)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  popDue(now: number): number | null {
    const top = this.items[0];
    if (!top || top.due > now) return null;
    const last = this.items.pop();
    if (last && this.items.length > 0) {
      this.items[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        let min = i;
        if (this.due(l) < this.due(min)) min = l;
        if (this.due(l + 1) < this.due(min)) min = l + 1;
        if (min === i) break;
        this.swap(i, min);
        i = min;
      }
    }
    return top.seq;
  }

  /** Due time at index i; past the end counts as never, which keeps the sift loops simple. */
  private due(i: number): number {
    return this.items[i]?.due ?? Infinity;
  }

  private swap(i: number, j: number): void {
    const a = this.items[i];
    const b = this.items[j];
    if (a && b) [this.items[i], this.items[j]] = [b, a];
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
