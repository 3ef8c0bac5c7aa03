import type Redis from 'ioredis';
import {
  capacityKey,
  parseCapacityDecision,
  refusedEventsKey,
  type CapacityDecision,
} from '@sightline/plans';

interface Entry {
  decision: CapacityDecision | null;
  expiresAt: number;
}

/**
 * The ingest side of the capacity contract (libs/plans capacity-contract): the per-site decision
 * the api and workers write to Redis, behind a small in-process LRU. A missing key, an unreadable
 * value or an unreachable Redis all mean ACCEPT — only an explicit "refuse" (an org 30 days past an
 * unpaid period) refuses, and every refused event is counted per org and day.
 */
export class CapacityGate {
  private readonly cache = new Map<number, Entry>();

  constructor(
    private readonly redis: Redis,
    /** Short, so a plan change reaches every replica quickly although only Redis is invalidated. */
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 50_000,
  ) {}

  /** The cached decision (null: accept), or undefined when it must be read (`decision`). */
  cached(siteId: number, now = Date.now()): CapacityDecision | null | undefined {
    const hit = this.cache.get(siteId);
    if (!hit || hit.expiresAt <= now) return undefined;
    // LRU: a hit moves to the end of the insertion order.
    this.cache.delete(siteId);
    this.cache.set(siteId, hit);
    return hit.decision;
  }

  /** The site's decision, or null (accept). */
  async decision(siteId: number, now = Date.now()): Promise<CapacityDecision | null> {
    const hit = this.cached(siteId, now);
    if (hit !== undefined) return hit;
    let decision: CapacityDecision | null = null;
    if (this.redis.status === 'ready') {
      try {
        decision = parseCapacityDecision(await this.redis.get(capacityKey(siteId)));
      } catch {
        decision = null; // never refuse because Redis failed
      }
    }
    if (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(siteId, { decision, expiresAt: now + this.ttlMs });
    return decision;
  }

  /** Counts one refused event for the org (per UTC day); best effort. */
  async countRefused(orgId: string, at = new Date()): Promise<void> {
    try {
      await this.redis.hincrby(refusedEventsKey(orgId), at.toISOString().slice(0, 10), 1);
    } catch {
      // the refusal itself is still answered; the receiver's metric counts it too
    }
  }
}
