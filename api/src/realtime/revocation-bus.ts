import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { LOGGER, REDIS } from '../common/tokens';

/** Access that ended somewhere; every API replica closes the matching realtime sockets. */
export type Revocation =
  | { kind: 'session'; userId: string; sessionId: string }
  /** Every session of the user, except `exceptSessionId` when given (password change keeps the current one). */
  | { kind: 'user'; userId: string; exceptSessionId?: string }
  /** The user's membership in the org was removed or its role changed. */
  | { kind: 'membership'; orgId: string; userId: string };

export const REVOCATIONS_CHANNEL = 'sightline:revocations';

type Handler = (revocation: Revocation) => void;

/**
 * Redis pub/sub for revocations. Publishing is best-effort on top of the database change (which
 * already refuses the next request); the realtime server's periodic re-check catches a lost message.
 */
@Injectable()
export class RevocationBus implements OnModuleDestroy {
  private readonly subscriber: Redis;
  private readonly handlers = new Set<Handler>();
  private subscribed: Promise<void> | undefined;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.subscriber = redis.duplicate({ connectionName: 'sightline-api-revocations', lazyConnect: true });
    this.subscriber.on('error', (err: Error) =>
      logger.warn({ err: { message: err.message } }, 'revocation subscriber error'),
    );
    this.subscriber.on('message', (_channel: string, message: string) => this.dispatch(message));
  }

  async publish(revocation: Revocation): Promise<void> {
    try {
      await this.redis.publish(REVOCATIONS_CHANNEL, JSON.stringify(revocation));
    } catch (err) {
      this.logger.warn({ err: { message: (err as Error).message } }, 'publishing a revocation failed');
    }
  }

  /** Starts listening (once); a failure is logged and retried on the next call. */
  async listen(handler: Handler): Promise<void> {
    this.handlers.add(handler);
    this.subscribed ??= this.subscriber.subscribe(REVOCATIONS_CHANNEL).then(
      () => undefined,
      (err: unknown) => {
        this.subscribed = undefined;
        this.logger.warn({ err: { message: (err as Error).message } }, 'subscribing to revocations failed');
      },
    );
    await this.subscribed;
  }

  onModuleDestroy(): void {
    this.subscriber.disconnect();
  }

  private dispatch(message: string): void {
    let revocation: Revocation;
    try {
      revocation = JSON.parse(message) as Revocation;
    } catch {
      return;
    }
    for (const handler of this.handlers) handler(revocation);
  }
}
