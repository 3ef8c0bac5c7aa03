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
}

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
} as const;
