import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { LiveEvent } from '@sightline/api-contract';
import type { ApiConfig } from '@sightline/config';
import { API_CONFIG, LOGGER, REDIS } from '../common/tokens';

type Listener = (events: LiveEvent[]) => void;

interface SiteChannel {
  listeners: Set<Listener>;
  /** The SUBSCRIBE of this channel; every listener waits for it, and all see its failure. */
  ready: Promise<void>;
}

/**
 * One Redis subscriber connection for the whole process: it subscribes to a site's channel while at
 * least one dashboard of that site is open, and fans messages out to them.
 */
@Injectable()
export class LiveEventsSubscriber implements OnModuleDestroy {
  private readonly subscriber: Redis;
  private readonly channels = new Map<number, SiteChannel>();

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

  /**
   * Returns the unsubscribe function. Rejects when Redis refuses the SUBSCRIBE (nothing is left
   * registered then, and the next caller tries again).
   */
  async subscribe(siteId: number, listener: Listener): Promise<() => void> {
    let channel = this.channels.get(siteId);
    if (!channel) {
      const created: SiteChannel = {
        listeners: new Set(),
        ready: this.subscriber.subscribe(this.channelOf(siteId)).then(() => undefined),
      };
      created.ready.catch(() => {
        if (this.channels.get(siteId) === created) this.channels.delete(siteId);
      });
      this.channels.set(siteId, created);
      channel = created;
    }
    await channel.ready;
    // The last listener may have left (and unsubscribed) while this one waited: start over.
    if (this.channels.get(siteId) !== channel) return this.subscribe(siteId, listener);
    channel.listeners.add(listener);
    return () => {
      if (!channel.listeners.delete(listener) || channel.listeners.size > 0) return;
      if (this.channels.get(siteId) === channel) this.channels.delete(siteId);
      this.subscriber.unsubscribe(this.channelOf(siteId)).catch(() => undefined);
    };
  }

  /** Dashboards listening to this site in this process. */
  listenerCount(siteId: number): number {
    return this.channels.get(siteId)?.listeners.size ?? 0;
  }

  onModuleDestroy(): void {
    this.subscriber.disconnect();
  }

  private dispatch(channel: string, message: string): void {
    const siteId = Number(channel.slice(this.config.LIVE_EVENTS_CHANNEL.length + 1));
    const listeners = this.channels.get(siteId)?.listeners;
    if (!listeners) return;
    let events: LiveEvent[];
    try {
      events = JSON.parse(message) as LiveEvent[];
    } catch {
      this.logger.warn({ channel }, 'ignoring malformed live message');
      return;
    }
    for (const listener of listeners) listener(events);
  }

  private channelOf(siteId: number): string {
    return `${this.config.LIVE_EVENTS_CHANNEL}:${siteId}`;
  }
}
