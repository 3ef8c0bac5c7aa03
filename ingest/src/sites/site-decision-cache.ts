import type { SiteDecision } from './site-decision';
import type { SiteDecisionStore } from './site-decision-store';

export interface SiteDecisionCacheOptions {
  /** A decision is fresh this long; after that the next event for the domain refreshes it. */
  ttlMs: number;
  /** A refresh slower than this serves the stale decision (and goes on in the background). */
  refreshTimeoutMs?: number;
  /** After a failed refresh, stale decisions are served without asking Postgres for this long. */
  retryAfterMs?: number;
  /** Bound on known domains kept (least recently refreshed leave first). */
  maxSites?: number;
  /** Bound on unknown domains kept; kept apart, so a flood of random domains evicts no known site. */
  maxUnknown?: number;
}

interface Entry {
  decision: SiteDecision;
  expiresAt: number;
}

/** Postgres could not be asked and nothing is known about the domain. */
export class SiteDecisionUnavailableError extends Error {}

/**
 * domain → SiteDecision, with Postgres off the ingest path:
 * - fresh decisions are served from memory; concurrent misses for one domain share one query;
 * - stale-if-error: when a refresh fails or is slower than `refreshTimeoutMs`, the last known
 *   decision is served, and for `retryAfterMs` stale decisions are served at once while one
 *   background refresh per domain tries again — so a Postgres outage of any length refuses no
 *   event for a known site;
 * - a receiver that starts during an outage falls back to the last decision kept in Redis.
 */
export class SiteDecisionCache {
  private readonly sites = new Map<string, Entry>();
  private readonly unknown = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<SiteDecision>>();
  private failingUntil = 0;
  private readonly refreshTimeoutMs: number;
  private readonly retryAfterMs: number;
  private readonly maxSites: number;
  private readonly maxUnknown: number;

  constructor(
    private readonly load: (domain: string) => Promise<SiteDecision>,
    private readonly store: SiteDecisionStore | null,
    private readonly opts: SiteDecisionCacheOptions,
    private readonly onStale: (reason: string) => void = () => undefined,
  ) {
    this.refreshTimeoutMs = opts.refreshTimeoutMs ?? 500;
    this.retryAfterMs = opts.retryAfterMs ?? 2_000;
    this.maxSites = opts.maxSites ?? 50_000;
    this.maxUnknown = opts.maxUnknown ?? 10_000;
  }

  /** The fresh decision for a domain from memory, or undefined (then `decide`): no promise per event. */
  fresh(domain: string, now = Date.now()): SiteDecision | undefined {
    const entry = this.sites.get(domain) ?? this.unknown.get(domain);
    return entry && entry.expiresAt > now ? entry.decision : undefined;
  }

  async decide(domain: string, now = Date.now()): Promise<SiteDecision> {
    const entry = this.sites.get(domain) ?? this.unknown.get(domain);
    if (entry && entry.expiresAt > now) return entry.decision;
    const refresh = this.refresh(domain);
    if (!entry) return refresh.catch((err: unknown) => this.fromStore(domain, err));
    if (now < this.failingUntil) {
      refresh.catch(() => undefined); // tried in the background; the stale decision answers now
      this.onStale('postgres failing');
      return entry.decision;
    }
    try {
      return await withTimeout(refresh, this.refreshTimeoutMs);
    } catch {
      refresh.catch(() => undefined);
      this.onStale('refresh failed or slow');
      return entry.decision;
    }
  }

  private refresh(domain: string): Promise<SiteDecision> {
    const pending = this.inFlight.get(domain);
    if (pending) return pending;
    const lookup = this.load(domain)
      .then(
        (decision) => {
          this.remember(domain, decision);
          this.store?.write(domain, decision).catch(() => undefined); // best effort: a second copy
          return decision;
        },
        (err: unknown) => {
          this.failingUntil = Date.now() + this.retryAfterMs;
          throw err;
        },
      )
      .finally(() => this.inFlight.delete(domain));
    this.inFlight.set(domain, lookup);
    return lookup;
  }

  private remember(domain: string, decision: SiteDecision): void {
    const entry = { decision, expiresAt: Date.now() + this.opts.ttlMs };
    if (decision.site === null) {
      this.sites.delete(domain);
      if (this.unknown.size >= this.maxUnknown) this.unknown.clear();
      this.unknown.set(domain, entry);
      return;
    }
    this.unknown.delete(domain);
    this.sites.delete(domain); // re-inserted last: Map order is refresh order
    this.sites.set(domain, entry);
    if (this.sites.size > this.maxSites) this.sites.delete(this.sites.keys().next().value as string);
  }

  /** Nothing in memory and Postgres failed: the copy in Redis, else the original error. */
  private async fromStore(domain: string, err: unknown): Promise<SiteDecision> {
    const kept = this.store ? await this.store.read(domain).catch(() => null) : null;
    if (!kept) throw err instanceof Error ? err : new SiteDecisionUnavailableError(String(err));
    this.onStale('from redis copy');
    // Kept as already expired: the next event tries Postgres again (after retryAfterMs).
    this.sites.set(domain, { decision: kept, expiresAt: 0 });
    return kept;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
