import { IngestError } from './ingest-error';

/**
 * Plausible's trackers (script v36, `@plausible-analytics/tracker`, `plausible-tracker`) send one-
 * letter keys; the Events API documents the long ones. Both are accepted, the long key wins when a
 * body has both. Engagement fields have only Plausible's short names plus our long ones.
 */
const KEY_ALIASES: readonly (readonly [long: string, ...short: string[]])[] = [
  ['name', 'n'],
  ['url', 'u'],
  ['domain', 'd'],
  ['referrer', 'r'],
  ['props', 'meta', 'p', 'm'],
  ['revenue', '$'],
  ['interactive', 'i'],
  ['hashMode', 'h'],
  ['scroll_depth', 'sd'],
  ['engagement_time', 'e'],
];

/** Every key some alias group claims; the rest pass through unchanged. */
const ALIASED_KEYS: ReadonlySet<string> = new Set(KEY_ALIASES.flat());

/** Fields that Plausible sends as a JSON string (`plausible-tracker` stringifies `p`). */
const JSON_STRING_FIELDS = new Set(['props', 'revenue']);

/**
 * Rewrites a request body to the long-key shape the JSON schema validates. Runs before schema
 * validation, so everything it does not recognise is left for the schema to reject. Throws a 400
 * `invalid_props` / `invalid_revenue` when a string that should hold a JSON object does not.
 */
export function normalizeEventBody(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const input = body as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // Runs for every event: no arrays or sets built per call.
  for (const group of KEY_ALIASES) {
    const key = group.find((k) => Object.hasOwn(input, k));
    if (key === undefined) continue;
    const long = group[0];
    const value = input[key];
    out[long] =
      JSON_STRING_FIELDS.has(long) && typeof value === 'string' ? parseObject(long, key, value) : value;
  }
  // Plausible falls back to the page's host when `d` is missing; so do we (the allowlist still applies).
  if (out.domain === undefined && typeof out.url === 'string') {
    const host = hostOf(out.url);
    if (host) out.domain = host;
  }
  // Unknown fields (Plausible's `w` screen width, `v` script version, future ones) pass through
  // to the schema, which tolerates and ignores them.
  for (const key in input) if (Object.hasOwn(input, key) && !ALIASED_KEYS.has(key)) out[key] = input[key];
  return out;
}

function parseObject(field: string, key: string, text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new IngestError(400, `invalid_${field}`, `${key} is a string but not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new IngestError(400, `invalid_${field}`, `${key} must be an object or a JSON string of one`);
  }
  return parsed;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}
