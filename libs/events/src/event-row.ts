/** One row of the ClickHouse `events` table (see libs/clickhouse/migrations). */
export interface EventRow {
  site_id: number;
  /** UTC, `YYYY-MM-DD hh:mm:ss` (the column is DateTime('UTC')). */
  timestamp: string;
  name: string;
  hostname: string;
  pathname: string;
  referrer: string;
  referrer_source: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_content: string;
  utm_term: string;
  country_code: string;
  browser: string;
  browser_version: string;
  os: string;
  os_version: string;
  device: string;
  /** 64-bit unsigned, kept as bigint so no precision is lost on the way to ClickHouse. */
  visitor_id: bigint;
  session_id: bigint;
  /** Random per accepted event; makes flusher retries idempotent. */
  event_id: bigint;
  props_keys: string[];
  props_values: string[];
  revenue_amount: number;
  revenue_currency: string;
  /** Engagement rows only (name `engagement`): max scroll depth %, 0–100; the column defaults to 0. */
  scroll_depth?: number;
  /** Engagement rows only: engaged milliseconds since the previous ping; the column defaults to 0. */
  engagement_time?: number;
}

/** A row with everything but the identity, which the receiver adds from Redis-held salts/sessions. */
export type EnrichedEvent = Omit<EventRow, 'visitor_id' | 'session_id' | 'event_id'>;
