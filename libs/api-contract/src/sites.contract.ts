import { z } from 'zod';

const hostnamePattern = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A timezone the server's Intl knows (IANA names, e.g. Europe/Berlin), turned into its canonical
 * spelling (`europe/berlin` → `Europe/Berlin`), so what is stored and cached is one name per zone.
 */
export const timezoneSchema = z.string().transform((tz, ctx) => {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be an IANA timezone such as Europe/Berlin' });
    return z.NEVER;
  }
});

export const allowedHostnamesSchema = z
  .array(
    z
      .string()
      .trim()
      .toLowerCase()
      .regex(hostnamePattern, 'must be a host name such as example.com or *.example.com'),
  )
  .max(50);

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 currency code (`eur` → `EUR`): what revenue goals are reported in. */
export const currencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine((c) => CURRENCIES.has(c), 'must be an ISO 4217 currency code such as USD or EUR');

export const createSiteBody = z.object({
  /** Normalised by the server (scheme, www., path and port removed, lower-cased). */
  domain: z.string().trim().min(1).max(253),
  name: z.string().trim().min(1).max(100).optional(),
  timezone: timezoneSchema.default('UTC'),
});
export type CreateSiteBody = z.input<typeof createSiteBody>;

export const updateSiteBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    timezone: timezoneSchema,
    allowedHostnames: allowedHostnamesSchema,
    currency: currencySchema,
  })
  .partial();
export type UpdateSiteBody = z.infer<typeof updateSiteBody>;

export interface SiteView {
  id: number;
  orgId: string;
  domain: string;
  name: string;
  timezone: string;
  allowedHostnames: string[];
  /** ISO 4217 code revenue goals are reported in (default USD). */
  currency: string;
  createdAt: string;
  /** The `<script>` tag to paste into the site's `<head>`. */
  snippet: string;
}

/** GET /api/sites/:domain/status — for the add-site flow ("waiting for the first event"). */
export interface SiteStatus {
  hasEvents: boolean;
  lastEventAt: string | null;
}

/** GET /api/sites/:domain/realtime */
export interface RealtimeVisitors {
  visitors: number;
}

/** An event as pushed live to dashboards (no visitor ids, no IP). */
export interface LiveEvent {
  name: string;
  pathname: string;
  hostname: string;
  referrerSource: string;
  countryCode: string;
  device: string;
  browser: string;
  timestamp: string;
}

/**
 * Messages on the realtime WebSocket `/api/realtime?site=<domain>` (cookie-authenticated).
 * The server sends `visitors` on connect and whenever it changes, `events` as they are stored.
 */
export type RealtimeMessage =
  | { type: 'visitors'; visitors: number }
  | { type: 'events'; events: LiveEvent[] }
  | { type: 'error'; error: { code: string; message: string } };
