import { newEventId } from '../intake/event-id';
import type { Redis } from 'ioredis';
import { hashVisitor } from './visitor-hash';
import type { SaltStore } from './salt-store';

export const SESSION_IDLE_SECONDS = 30 * 60;

// One round trip: continue the visitor's session under today's id, else under yesterday's id
// (a session spanning midnight), else start one. Every hit pushes the 30-minute expiry forward.
const SESSION_SCRIPT = `
local s = redis.call('GET', KEYS[1])
if s then redis.call('EXPIRE', KEYS[1], ARGV[2]) return {s, '0'} end
if KEYS[2] ~= KEYS[1] then
  s = redis.call('GET', KEYS[2])
  if s then redis.call('EXPIRE', KEYS[2], ARGV[2]) return {s, '1'} end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return {ARGV[1], '0'}
`;

type SessionRedis = Redis & {
  sightlineSession(
    current: string,
    previous: string,
    candidate: string,
    ttl: number,
  ): Promise<[string, string]>;
};

export class VisitorIdentity {
  private readonly redis: SessionRedis;
  private readonly localSessions = new LocalSessions();

  constructor(
    redis: Redis,
    private readonly salts: SaltStore,
    private readonly keyPrefix = 'sightline:session:',
  ) {
    if (!('sightlineSession' in redis))
      redis.defineCommand('sightlineSession', { numberOfKeys: 2, lua: SESSION_SCRIPT });
    this.redis = redis as SessionRedis;
  }

  /** Visitor and session; degrades to a process-local approximation when Redis is unreachable. */
  async identify(
    siteId: number,
    ip: string,
    userAgent: string,
    now: Date,
  ): Promise<{ visitorId: bigint; sessionId: bigint }> {
    try {
      return await this.identifyWithRedis(siteId, ip, userAgent, now);
    } catch {
      const { current } = this.salts.fallbackSaltsFor(now);
      const visitorId = hashVisitor(current, siteId, ip, userAgent);
      return { visitorId, sessionId: this.localSessions.sessionFor(`${siteId}:${visitorId}`, now.getTime()) };
    }
  }

  private async identifyWithRedis(siteId: number, ip: string, userAgent: string, now: Date) {
    const { current, previous } = await this.salts.saltsFor(now);
    const visitorId = hashVisitor(current, siteId, ip, userAgent);
    const previousId = previous === null ? visitorId : hashVisitor(previous, siteId, ip, userAgent);
    const candidate = newEventId().toString(); // pooled randomness: a fresh id costs no syscall
    const [sessionId, continuedFromPrevious] = await this.redis.sightlineSession(
      `${this.keyPrefix}${siteId}:${visitorId}`,
      `${this.keyPrefix}${siteId}:${previousId}`,
      candidate,
      SESSION_IDLE_SECONDS,
    );
    return {
      visitorId: continuedFromPrevious === '1' ? previousId : visitorId,
      sessionId: BigInt(sessionId),
    };
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
