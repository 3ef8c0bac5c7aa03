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
import { API_CONFIG, LOGGER } from '../common/tokens';
import { ANY_ROLE } from '../orgs/org-access.service';
import { SiteAccessService } from '../sites/site-access.service';
import { StatsService } from '../stats/stats.service';
import { LiveEventsSubscriber } from './live-events.subscriber';

export const REALTIME_PATH = '/api/realtime';
/** Visitors leave the 5-minute window without any event, so the count is also refreshed on a timer. */
const RECOUNT_INTERVAL_MS = 10_000;
/** After a burst of events, recount at most this often per connection. */
const RECOUNT_THROTTLE_MS = 1_000;
const PING_INTERVAL_MS = 30_000;

/**
 * `GET /api/realtime?site=<domain>` upgraded to a WebSocket. Authenticated by the session cookie
 * and an allowed Origin (browsers send cookies on cross-site WebSocket handshakes). Sends the
 * current-visitor count on connect and when it changes, and stored events as they arrive.
 */
@Injectable()
export class RealtimeServer implements OnModuleDestroy {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });

  constructor(
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(SiteAccessService) private readonly siteAccess: SiteAccessService,
    @Inject(StatsService) private readonly stats: StatsService,
    @Inject(LiveEventsSubscriber) private readonly live: LiveEventsSubscriber,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== REALTIME_PATH) {
        socket.destroy();
        return;
      }
      this.authorize(req, url.searchParams.get('site') ?? '')
        .then((site) => {
          if (typeof site === 'number') {
            socket.end(
              `HTTP/1.1 ${site} ${site === 401 ? 'Unauthorized' : site === 403 ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
            );
            return;
          }
          this.wss.handleUpgrade(req, socket, head, (ws) => void this.serve(ws, site));
        })
        .catch((err: unknown) => {
          this.logger.error({ err }, 'realtime handshake failed');
          socket.destroy();
        });
    });
  }

  onModuleDestroy(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  private async authorize(req: IncomingMessage, domain: string): Promise<AuthorizedSite | number> {
    const origin = req.headers.origin;
    if (origin !== undefined && !this.config.allowedOrigins.includes(origin)) return 403;
    const token = sessionToken(req);
    const session = token ? await this.sessions.resolve(token) : null;
    if (!session) return 401;
    try {
      const { authorized } = await this.siteAccess.requireSite(
        { kind: 'user', userId: session.userId, sessionId: session.id },
        domain,
        ANY_ROLE,
      );
      return authorized;
    } catch {
      return 404;
    }
  }

  private async serve(ws: WebSocket, site: AuthorizedSite): Promise<void> {
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

    let alive = true;
    ws.on('pong', () => (alive = true));
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, PING_INTERVAL_MS);
    const periodic = setInterval(() => void recount(), RECOUNT_INTERVAL_MS);
    const unsubscribe = await this.live.subscribe(site.id, (events) => {
      send({ type: 'events', events });
      scheduleRecount();
    });
    ws.on('message', () => undefined); // the protocol is server → client only
    ws.on('close', () => {
      clearInterval(ping);
      clearInterval(periodic);
      clearTimeout(recountTimer);
      unsubscribe();
    });
    await recount();
  }
}
