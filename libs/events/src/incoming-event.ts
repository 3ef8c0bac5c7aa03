/**
 * The body of `POST /api/event`: the Plausible Events API shape, so existing clients work.
 * Limits are enforced by the receiver's JSON schema; bodies over them are rejected with 400
 * (the whole body over MAX_BODY_BYTES gets 413).
 */
export interface IncomingEvent {
  name: string;
  url: string;
  domain: string;
  referrer?: string | null;
  props?: Record<string, string | number | boolean | null> | null;
  revenue?: { amount: number | string; currency: string } | null;
  interactive?: boolean;
  /** Hash-based routing (Plausible's `h`): the page path keeps the whole #fragment. */
  hashMode?: boolean | number;
  /** `engagement` events only: how far down the page the visitor got, percent (Plausible's `sd`). */
  scroll_depth?: number;
  /** `engagement` events only: milliseconds the page was visible and focused (Plausible's `e`). */
  engagement_time?: number;
}

/** The event name of engagement pings; they never count as events (see README, Engagement). */
export const ENGAGEMENT_EVENT = 'engagement';

export const EVENT_LIMITS = {
  maxBodyBytes: 16 * 1024,
  nameLength: 120,
  urlLength: 2000,
  domainLength: 253,
  referrerLength: 2000,
  propsCount: 30,
  propKeyLength: 300,
  propValueLength: 2000,
  currencyLength: 3,
  /** Engaged time per ping, ms: at most a day (more is not a person reading a page). */
  maxEngagementTimeMs: 86_400_000,
} as const;
