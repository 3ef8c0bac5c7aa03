import type { Redis } from 'ioredis';
import type { EventRow } from '@sightline/events';
import type { LiveEvent } from '@sightline/api-contract';
import type { Logger } from '@sightline/observability';

/** At most this many events per site per batch go to dashboards; the counts come from ClickHouse. */
const MAX_EVENTS_PER_MESSAGE = 50;

/**
 * Tells open dashboards which events were just stored: one PUBLISH per site per flushed batch on
 * `<channel>:<site_id>`, after the insert succeeded, so a dashboard that re-queries sees them.
 * Best effort: a failed publish never fails or delays the flush.
 */
export class LiveEventsPublisher {
  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {}

  publish(lines: readonly string[]): void {
    const bySite = new Map<number, LiveEvent[]>();
    for (const line of lines) {
      const row = JSON.parse(line) as EventRow;
      let events = bySite.get(row.site_id);
      if (!events) bySite.set(row.site_id, (events = []));
      if (events.length >= MAX_EVENTS_PER_MESSAGE) events.shift();
      events.push({
        name: row.name,
        pathname: row.pathname,
        hostname: row.hostname,
        referrerSource: row.referrer_source,
        countryCode: row.country_code,
        device: row.device,
        browser: row.browser,
        timestamp: row.timestamp.replace(' ', 'T') + 'Z',
      });
    }
    for (const [siteId, events] of bySite) {
      this.redis
        .publish(`${this.channel}:${siteId}`, JSON.stringify(events))
        .catch((err: Error) =>
          this.logger.warn({ err: { message: err.message } }, 'live event publish failed'),
        );
    }
  }
}
