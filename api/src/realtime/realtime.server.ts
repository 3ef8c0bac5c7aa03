import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RealtimeMessage } from '@sightline/api-contract';
import type { ApiConfig } from '@sightline/config';
import type { AuthorizedSite } from '@sightline/query';
import { sessionToken } from '../auth/auth.guard';
import { SessionService } from '../auth/session.service';
import { DomainError } from '../common/domain-error';
import { API_CONFIG, LOGGER } from '../common/tokens';
import { ANY_ROLE } from '../orgs/org-access.service';
import type { RateLimitSpec } from '../rate-limit/rate-limit.decorator';
import { RouteRateLimiter } from '../rate-limit/route-rate-limiter';
import { SiteAccessService } from '../sites/site-access.service';
import { StatsService } from '../stats/stats.service';
import { LiveEventsSubscriber } from './live-events.subscriber';
import { RevocationBus, type Revocation } from './revocation-bus';

export const REALTIME_PATH = '/api/realtime';
/** Visitors leave the 5-minute window without any event, so the count is also refreshed on a timer. */
const RECOUNT_INTERVAL_MS = 10_000;
/** After a burst of events, recount at most this often per connection. */
const RECOUNT_THROTTLE_MS = 1_000;
const PING_INTERVAL_MS = 30_000;
/** Handshakes per user (README "Rate limits"); open sockets are capped by REALTIME_SOCKETS_PER_USER. */
export const REALTIME_HANDSHAKE_LIMIT: RateLimitSpec = { points: 30, per: 'minute', key: 'user' };

/** Close codes the dashboard may show; 4xxx are application codes. */
export const CLOSE_SESSION_ENDED = 4001;
export const CLOSE_ACCESS_REVOKED = 4003;
export const CLOSE_UNAVAILABLE = 1011;

interface Connection {
  ws: WebSocket;
  userId: string;
  sessionId: string;
  token: string;
  domain: string;
  orgId: string;
}

interface Authorized {
  site: AuthorizedSite;
  connection: Omit<Connection, 'ws'>;
}

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
};

/**
 * `GET /api/realtime?site=<domain>` upgraded to a WebSocket. Authenticated by the session cookie
 * and an allowed Origin (browsers send cookies on cross-site WebSocket handshakes). Sends the
 * current-visitor count on connect and when it changes, and stored events as they arrive. A socket
 * lives only as long as its session and the user's access to the site: revocations close it at
 * once (Redis pub/sub, all replicas), and every REALTIME_RECHECK_SECONDS it is checked again.
 */
@Injectable()
export class RealtimeServer implements OnModuleDestroy {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  private readonly connections = new Set<Connection>();
  private recheckTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(SiteAccessService) private readonly siteAccess: SiteAccessService,
    @Inject(StatsService) private readonly stats: StatsService,
    @Inject(LiveEventsSubscriber) private readonly live: LiveEventsSubscriber,
    @Inject(RevocationBus) private readonly revocations: RevocationBus,
    @Inject(RouteRateLimiter) private readonly limiter: RouteRateLimiter,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  attach(server: Server): void {
    void this.revocations.listen((revocation) => this.revoke(revocation));
    this.recheckTimer = setInterval(
      () => void this.recheckAll(),
      this.config.REALTIME_RECHECK_SECONDS * 1000,
    );
    this.recheckTimer.unref();
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== REALTIME_PATH) {
        socket.destroy();
        return;
      }
      this.authorize(req, url.searchParams.get('site') ?? '')
        .then((result) => {
          if (typeof result === 'number' || 'retryAfter' in result) {
            const status = typeof result === 'number' ? result : 429;
            const retry = typeof result === 'number' ? '' : `Retry-After: ${result.retryAfter}\r\n`;
            socket.end(
              `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n${retry}Connection: close\r\nContent-Length: 0\r\n\r\n`,
            );
            return;
          }
          this.wss.handleUpgrade(req, socket, head, (ws) => {
            this.serve(ws, result).catch((err: unknown) => {
              this.logger.error({ err }, 'realtime connection failed');
              ws.close(CLOSE_UNAVAILABLE, 'live updates unavailable');
            });
          });
        })
        .catch((err: unknown) => {
          this.logger.error({ err }, 'realtime handshake failed');
          socket.destroy();
        });
    });
  }

  /** Open realtime sockets in this process (all users). */
  connectionCount(): number {
    return this.connections.size;
  }

  onModuleDestroy(): void {
    clearInterval(this.recheckTimer);
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  private async authorize(
    req: IncomingMessage,
    domain: string,
  ): Promise<Authorized | number | { retryAfter: number }> {
    const origin = req.headers.origin;
    if (origin !== undefined && !this.config.allowedOrigins.includes(origin)) return 403;
    const token = sessionToken(req);
    const session = token ? await this.sessions.resolve(token) : null;
    if (!token || !session) return 401;
    try {
      await this.limiter.consume(
        'RealtimeServer.connect',
        REALTIME_HANDSHAKE_LIMIT,
        `user:${session.userId}`,
      );
    } catch (err) {
      if (err instanceof DomainError && err.status === 429)
        return { retryAfter: (err as DomainError & { retryAfterSeconds: number }).retryAfterSeconds };
      throw err;
    }
    const open = [...this.connections].filter((c) => c.userId === session.userId).length;
    if (open >= this.config.REALTIME_SOCKETS_PER_USER) return { retryAfter: RECOUNT_INTERVAL_MS / 1000 };
    try {
      const { site, authorized } = await this.siteAccess.requireSite(
        { kind: 'user', userId: session.userId, sessionId: session.id },
        domain,
        ANY_ROLE,
      );
      return {
        site: authorized,
        connection: { userId: session.userId, sessionId: session.id, token, domain, orgId: site.orgId },
      };
    } catch {
      return 404;
    }
  }

  private async serve(ws: WebSocket, { site, connection }: Authorized): Promise<void> {
    const conn: Connection = { ws, ...connection };
    const send = (message: RealtimeMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    let lastCount = -1;
    let recountTimer: NodeJS.Timeout | undefined;
    let counting = false;
    const recount = async () => {
      if (counting) return;
      counting = true;
      try {
        const visitors = await this.stats.currentVisitors(site);
        if (visitors !== lastCount) send({ type: 'visitors', visitors });
        lastCount = visitors;
      } catch (err) {
        this.logger.warn({ err: { message: (err as Error).message } }, 'realtime recount failed');
      } finally {
        counting = false;
      }
    };
    const scheduleRecount = () => {
      recountTimer ??= setTimeout(() => {
        recountTimer = undefined;
        void recount();
      }, RECOUNT_THROTTLE_MS);
    };

    // Everything a connection starts is stopped on close, including a close during the subscribe below.
    let closed = false;
    const subscription: { stop?: () => void } = {};
    let alive = true;
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, PING_INTERVAL_MS);
    const periodic = setInterval(() => void recount(), RECOUNT_INTERVAL_MS);
    this.connections.add(conn);
    ws.on('pong', () => (alive = true));
    ws.on('message', () => undefined); // the protocol is server → client only
    ws.on('close', () => {
      closed = true;
      this.connections.delete(conn);
      clearInterval(ping);
      clearInterval(periodic);
      clearTimeout(recountTimer);
      subscription.stop?.();
    });

    let stop: () => void;
    try {
      stop = await this.live.subscribe(site.id, (events) => {
        send({ type: 'events', events });
        scheduleRecount();
      });
    } catch (err) {
      // Redis refused or dropped the SUBSCRIBE: tell the client (it reconnects with backoff).
      this.logger.warn({ err: { message: (err as Error).message } }, 'realtime subscribe failed');
      ws.close(CLOSE_UNAVAILABLE, 'live updates unavailable');
      return;
    }
    if (closed) {
      stop();
      return;
    }
    subscription.stop = stop;
    await recount();
  }

  private revoke(revocation: Revocation): void {
    for (const conn of this.connections) {
      if (conn.userId !== revocation.userId) continue;
      if (revocation.kind === 'session' && conn.sessionId === revocation.sessionId)
        conn.ws.close(CLOSE_SESSION_ENDED, 'session ended');
      else if (revocation.kind === 'user' && conn.sessionId !== revocation.exceptSessionId)
        conn.ws.close(CLOSE_SESSION_ENDED, 'session ended');
      else if (revocation.kind === 'membership' && conn.orgId === revocation.orgId)
        conn.ws.close(CLOSE_ACCESS_REVOKED, 'access changed');
    }
  }

  /** The safety net behind pub/sub: each socket's session and site access, checked again. */
  private async recheckAll(): Promise<void> {
    for (const conn of [...this.connections]) {
      try {
        const session = await this.sessions.resolve(conn.token);
        if (!session) {
          conn.ws.close(CLOSE_SESSION_ENDED, 'session ended');
          continue;
        }
        await this.siteAccess.requireSite(
          { kind: 'user', userId: session.userId, sessionId: session.id },
          conn.domain,
          ANY_ROLE,
        );
      } catch (err) {
        if (err instanceof DomainError) conn.ws.close(CLOSE_ACCESS_REVOKED, 'access changed');
        else this.logger.warn({ err: { message: (err as Error).message } }, 'realtime re-check failed');
      }
    }
  }
}
