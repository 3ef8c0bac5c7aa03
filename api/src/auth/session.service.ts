import { Inject, Injectable } from '@nestjs/common';
import type { ApiConfig } from '@sightline/config';
import type { SessionView } from '@sightline/api-contract';
import { hashSecretToken, newSecretToken } from '../common/secret-token';
import { API_CONFIG } from '../common/tokens';
import { RevocationBus } from '../realtime/revocation-bus';
import type { UserSessionEntity } from '@sightline/database';
import { UserSessionRepository } from './user-session.repository';

const DAY_MS = 86_400_000;
/** lastSeenAt is written at most this often, so a busy dashboard does not write on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface SignInContext {
  country: string | null;
  device: string | null;
}

/** Browser sessions: opaque random token in the cookie, SHA-256 of it in Postgres. */
@Injectable()
export class SessionService {
  constructor(
    @Inject(UserSessionRepository) private readonly sessions: UserSessionRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(RevocationBus) private readonly revocations: RevocationBus,
  ) {}

  async start(
    userId: string,
    context: SignInContext,
  ): Promise<{ token: string; session: UserSessionEntity }> {
    const token = newSecretToken();
    const now = new Date();
    const session = await this.sessions.create({
      userId,
      tokenHash: hashSecretToken(token),
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.config.SESSION_ABSOLUTE_DAYS * DAY_MS),
      country: context.country,
      device: context.device,
    });
    return { token, session };
  }

  /** The live session for a cookie token, refreshing its idle timer; null when expired or revoked. */
  async resolve(token: string): Promise<UserSessionEntity | null> {
    if (token.length < 20 || token.length > 100) return null;
    const now = new Date();
    const session = await this.sessions.findLive(hashSecretToken(token), now, this.idleCutoff(now));
    if (session && now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.sessions.touch(session.id, now);
    }
    return session;
  }

  async list(userId: string, currentSessionId: string): Promise<SessionView[]> {
    const now = new Date();
    const sessions = await this.sessions.listLive(userId, now, this.idleCutoff(now));
    return sessions.map((s) => ({
      id: s.id,
      current: s.id === currentSessionId,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      country: s.country,
      device: s.device,
    }));
  }

  /** Ends one session; its realtime sockets close on every replica. */
  async revoke(userId: string, sessionId: string): Promise<boolean> {
    const revoked = await this.sessions.revoke(userId, sessionId);
    if (revoked) await this.revocations.publish({ kind: 'session', userId, sessionId });
    return revoked;
  }

  /** Ends every session of the user but `exceptSessionId`, and closes their realtime sockets. */
  async revokeAll(userId: string, exceptSessionId?: string): Promise<void> {
    await this.sessions.revokeAll(userId, exceptSessionId);
    await this.revocations.publish({ kind: 'user', userId, exceptSessionId });
  }

  private idleCutoff(now: Date): Date {
    return new Date(now.getTime() - this.config.SESSION_IDLE_DAYS * DAY_MS);
  }
}
