import { newEventId } from '../intake/event-id';
import { SESSION_IDLE_SECONDS } from '../stream/batched-event-appender';
import { hashVisitor } from './visitor-hash';
import type { SaltStore } from './salt-store';

export interface VisitorIds {
  /** Under today's salt. */
  current: bigint;
  /** Under yesterday's salt (equal to `current` when there is none). */
  previous: bigint;
}

/**
 * Cookieless identity. Visitor ids are computed here; the session a hit belongs to is decided by
 * Redis when the event is appended (see BatchedEventAppender), keyed by these session keys. When
 * Redis is unreachable, salts come from the cache (or a process-local salt) and sessions from
 * this process's memory: approximate, but no event is refused for it.
 */
export class VisitorIdentity {
  private readonly localSessions = new LocalSessions();

  constructor(
    private readonly salts: SaltStore,
    private readonly keyPrefix = 'sightline:session:',
  ) {}

  async visitorIds(siteId: number, ip: string, userAgent: string, now: Date): Promise<VisitorIds> {
    let salts;
    try {
      salts = await this.salts.saltsFor(now);
    } catch {
      salts = this.salts.fallbackSaltsFor(now);
    }
    const current = hashVisitor(salts.current, siteId, ip, userAgent);
    const previous = salts.previous === null ? current : hashVisitor(salts.previous, siteId, ip, userAgent);
    return { current, previous };
  }

  sessionKeys(siteId: number, ids: VisitorIds): [string, string] {
    return [`${this.keyPrefix}${siteId}:${ids.current}`, `${this.keyPrefix}${siteId}:${ids.previous}`];
  }

  /** For events that go to the disk spool because Redis is unreachable. */
  localSessionId(siteId: number, visitorId: bigint, now: Date): bigint {
    return this.localSessions.sessionFor(`${siteId}:${visitorId}`, now.getTime());
  }
}

/** Sessions kept in this process while Redis is away: same 30-minute rule, bounded memory. */
class LocalSessions {
  private readonly sessions = new Map<string, { id: bigint; lastSeen: number }>();

  constructor(private readonly maxEntries = 100_000) {}

  sessionFor(key: string, nowMs: number): bigint {
    const found = this.sessions.get(key);
    this.sessions.delete(key); // re-inserted below: Map order doubles as least-recently-used order
    const id = found && nowMs - found.lastSeen < SESSION_IDLE_SECONDS * 1000 ? found.id : newEventId();
    this.sessions.set(key, { id, lastSeen: nowMs });
    if (this.sessions.size > this.maxEntries)
      this.sessions.delete(this.sessions.keys().next().value as string);
    return id;
  }
}
