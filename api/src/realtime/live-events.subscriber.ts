import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { LiveEvent } from '@sightline/api-contract';
import type { ApiConfig } from '@sightline/config';
import { API_CONFIG, LOGGER, REDIS } from '../common/tokens';

type Listener = (events: LiveEvent[]) => void;

/**
 * One Redis subscriber connection for the whole process: it subscribes to a site's channel while at
 * least one dashboard of that site is open, and fans messages out to them.
 */
@Injectable()
export class LiveEventsSubscriber implements OnModuleDestroy {
  private readonly subscriber: Redis;
  private readonly listeners = new Map<number, Set<Listener>>();

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.subscriber = redis.duplicate({ connectionName: 'sightline-api-live' });
    this.subscriber.on('error', (err: Error) =>
      logger.warn({ err: { message: err.message } }, 'live subscriber error'),
    );
    this.subscriber.on('message', (channel: string, message: string) => this.dispatch(channel, message));
  }

  /** Returns the unsubscribe function. */
  async subscribe(siteId: number, listener: Listener): Promise<() => void> {
    let set = this.listeners.get(siteId);
    if (!set) {
      set = new Set();
      this.listeners.set(siteId, set);
      await this.subscriber.subscribe(this.channelOf(siteId));
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(siteId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) {
        this.listeners.delete(siteId);
        this.subscriber.unsubscribe(this.channelOf(siteId)).catch(() => undefined);
      }
    };
  }

  onModuleDestroy(): void {
    this.subscriber.disconnect();
  }

  private dispatch(channel: string, message: string): void {
    const siteId = Number(channel.slice(this.config.LIVE_EVENTS_CHANNEL.length + 1));
    const set = this.listeners.get(siteId);
    if (!set) return;
    let events: LiveEvent[];
    try {
      events = JSON.parse(message) as LiveEvent[];
    } catch {
      this.logger.warn({ channel }, 'ignoring malformed live message');
      return;
    }
    for (const listener of set) listener(events);
  }

  private channelOf(siteId: number): string {
    return `${this.config.LIVE_EVENTS_CHANNEL}:${siteId}`;
  }
}
