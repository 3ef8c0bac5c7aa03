/**
 * Property-based fuzzing of `POST /api/event` against the real receiver (in this process) and the
 * real flusher over the test stores: thousands of generated requests — random bytes, truncated and
 * deeply nested JSON, bodies around the 16 KB limit, wrong types, unicode oddities, spoofed headers,
 * absurd extra fields, missing fields, wrong routes — with valid events for a known site mixed in.
 *
 * What must hold (README "POST /api/event" and DESIGN "Bad input and faults"):
 * - every answer is a documented status, never a 5xx (Redis is up, so no 503 either), and every
 *   error body is `{ error: { code, message } }` (429 and 503 also with Retry-After);
 * - every valid event answered 202 is stored exactly once, exactly as sent; nothing else is stored,
 *   and nothing is stored with a foreign hostname, a relative path, a client-chosen timestamp or
 *   ill-formed UTF-16 (the test site allows only its own domain as page host, so a foreign host
 *   must be refused with 403 rather than stored);
 * - the receiver is healthy afterwards and its memory did not run away.
 *
 * The inputs are drawn with `fc.sample` from one seed and sent in batches of BATCH_SIZE in
 * parallel, so the run has a fixed size and time, and one run reports every kind of failure at
 * once (grouped, with the exact request of the first few). Each failure message names the seed:
 * set REPLAY_SEED to it to send the same inputs again.
 */
import { request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@sightline/clickhouse';
import { EVENT_LIMITS } from '@sightline/events';
import {
  DESKTOP_CHROME_UA,
  eventually,
  postEvent,
  startFlusher,
  startReceiver,
  TestContext,
} from '@sightline/testing';

/** Set to the seed a failure message names to send exactly those inputs again. */
const REPLAY_SEED = undefined as number | undefined;
const SEED = REPLAY_SEED ?? Math.floor(Math.random() * 2 ** 31);
/** Every generated request is sent: a fixed count, never a time budget (a loaded machine sends fewer per second). */
const TOTAL_REQUESTS = 2_000;
const BATCH_SIZE = 20;
/**
 * RSS mostly grows by heap pages V8 keeps committed after the run and by the allocator's free lists
 * (a forced gc hands neither back), so it is a coarse bound: +49 MB on Node 20, +183 MB on Node 24
 * for the same run, whose heap in use grew by 7 MB. The heap still in use after a full gc is the
 * sharp leak detector (about +10 MB here, the ledger included, even at three times the requests).
 */
const MAX_RSS_GROWTH_BYTES = 300 * 1024 * 1024;
const MAX_HEAP_USED_GROWTH_BYTES = 64 * 1024 * 1024;

const BODY_LIMIT = EVENT_LIMITS.maxBodyBytes;
const DOCUMENTED_STATUSES: readonly number[] = [202, 400, 403, 404, 413, 415, 429];
const DOCUMENTED_400_CODES = [
  'malformed_json',
  'invalid_body',
  'invalid_url',
  'invalid_domain',
  'invalid_revenue',
];
/** The codes each error status other than 400 may carry. */
const FIXED_CODES: Readonly<Record<number, readonly string[]>> = {
  403: ['hostname_not_allowed'],
  404: ['not_found'],
  429: ['rate_limited_ip', 'rate_limited_site'],
  413: ['body_too_large'],
  415: ['unsupported_media_type'],
};
const SENTINEL_NAME = 'fuzz-sentinel';
/** Every generated event name starts with this tag, so a stored row leads back to its request. */
const TAG_PATTERN = /^fz(\d+)~/;

// ───────────────────────────── the model of a request and its expected outcome ─────────────────

type Category =
  | 'valid'
  | 'extraFields'
  | 'hugeStrings'
  | 'unicode'
  | 'headerSpoofing'
  | 'wrongTypes'
  | 'missingFields'
  | 'truncatedJson'
  | 'deepNesting'
  | 'randomBytes'
  | 'hostMismatch'
  | 'unknownSite'
  | 'wrongRoute';

interface ExpectedRow {
  /** `null` where the exact stored value is not predictable (e.g. a body labelled with another charset). */
  name: string | null;
  pathname: string | null;
  props: { keys: string[]; values: string[] } | null;
  revenueCurrency: string | null;
}

interface Expected {
  /** Statuses this request may get; 429 is allowed on top (rate limits may throttle anything). */
  statuses: readonly number[];
  /** Codes a 400 may carry; undefined: any documented 400 code. */
  codes?: readonly string[];
  /** What a 202 must store; `null`: this request must never produce a row. */
  row: ExpectedRow | null;
  /** false: a 202 may still legitimately be dropped (e.g. a User-Agent that may look automated). */
  rowRequired: boolean;
}

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body?: Uint8Array;
  /** Send the body as two chunks with `Transfer-Encoding: chunked` instead of a Content-Length. */
  chunked: boolean;
  expected: Expected;
}

/**
 * One generated input. The request is built at send time with a fresh tag in the event name, so
 * every stored row leads back to exactly one request, even when two generated cases are equal.
 */
interface FuzzCase {
  category: Category;
  build(tag: string): FuzzRequest;
}

interface Outcome {
  status: number;
  body: string;
  retryAfter?: string;
  transportError?: string;
}

interface Transport {
  contentType: string | null;
  userAgent: string | null;
  forwardedFor: string | string[] | null;
  host: string | null;
  chunked: boolean;
}

interface EventSpec {
  nameSuffix: string;
  url: string;
  domain: string;
  referrer?: string | null;
  props?: Record<string, string | number | boolean | null> | null;
  revenue?: { amount: number | string; currency: string } | null;
  interactive?: boolean;
}

const MALFORMED: Expected = { statuses: [400], codes: ['malformed_json'], row: null, rowRequired: false };
const INVALID_BODY: Expected = { statuses: [400], codes: ['invalid_body'], row: null, rowRequired: false };
const TOO_LARGE: Expected = { statuses: [413], row: null, rowRequired: false };
const UNSUPPORTED: Expected = { statuses: [415], row: null, rowRequired: false };
const NOT_FOUND: Expected = { statuses: [404], row: null, rowRequired: false };
const HOST_NOT_ALLOWED: Expected = { statuses: [403], row: null, rowRequired: false };
const DROPPED: Expected = { statuses: [202], row: null, rowRequired: false };

const ACCEPTED_MEDIA_TYPES = new Set(['text/plain', 'application/json']);
const BROWSER_CONTENT_TYPES = [
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/json',
  'application/json; charset=utf-8',
];
const BROWSER_USER_AGENTS = [
  DESKTOP_CHROME_UA,
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
];
const CRAWLER_USER_AGENTS = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'curl/8.5.0',
  DESKTOP_CHROME_UA.replace('Chrome/', 'HeadlessChrome/'),
];

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');
const concatBytes = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

/** Cuts a string to at most `max` code points (the unit the receiver's JSON schema counts). */
function clampCodePoints(text: string, max: number): string {
  return Array.from(text).slice(0, max).join('');
}

/** The stored path of a page URL: hash routes (`#/x`) are kept, plain anchors dropped (README). */
function expectedPathname(url: string): string {
  const parsed = new URL(url);
  return parsed.hash.startsWith('#/') ? parsed.pathname + parsed.hash : parsed.pathname;
}

/** The row a valid event (as the receiver parsed it) must become. */
function expectedRowOf(event: Record<string, unknown>): ExpectedRow {
  const props = Object.entries((event.props ?? {}) as Record<string, unknown>).filter(([, v]) => v !== null);
  const revenue = event.revenue as { currency: string } | null | undefined;
  return {
    name: String(event.name).toWellFormed(),
    pathname: expectedPathname(String(event.url)),
    props: {
      keys: props.map(([k]) => k.toWellFormed()),
      values: props.map(([, v]) => String(v).toWellFormed()),
    },
    revenueCurrency: revenue ? revenue.currency.toUpperCase() : '',
  };
}

/**
 * Reference outcome of a body that is a valid event for the test site once decoded, sent with a
 * browser User-Agent and an accepted content type: decode as UTF-8 the standard way (invalid
 * sequences become U+FFFD, a leading BOM is dropped), then it is accepted and stored — or it is not
 * JSON after all (e.g. a raw control byte inside a string) and gets `malformed_json`.
 */
function expectFromBytes(bytes: Uint8Array): Expected {
  if (bytes.byteLength > BODY_LIMIT) return TOO_LARGE;
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return MALFORMED;
  }
  return { statuses: [202], row: expectedRowOf(event), rowRequired: true };
}

function mediaTypeOf(contentType: string | null): string | null {
  return contentType === null ? null : (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

function eventJson(spec: EventSpec, tag: string): Record<string, unknown> {
  const { nameSuffix, ...rest } = spec;
  return { name: tag + nameSuffix, ...rest };
}

function buildRequest(
  transport: Transport,
  body: Uint8Array | undefined,
  expected: Expected,
  route: { method: string; path: string } = { method: 'POST', path: '/api/event' },
): FuzzRequest {
  const headers: Record<string, string | string[]> = {};
  if (transport.contentType !== null) headers['content-type'] = transport.contentType;
  if (transport.userAgent !== null) headers['user-agent'] = transport.userAgent;
  if (transport.forwardedFor !== null) headers['x-forwarded-for'] = transport.forwardedFor;
  if (transport.host !== null) headers.host = transport.host;
  return { ...route, headers, body, chunked: transport.chunked, expected };
}

function describeRequest(req: FuzzRequest): string {
  const headers = Object.entries(req.headers)
    .map(([k, v]) => `${k}=${JSON.stringify(v).slice(0, 60)}`)
    .join(' ');
  const body =
    req.body === undefined
      ? 'no body'
      : `${req.body.byteLength} B ${JSON.stringify(Buffer.from(req.body.subarray(0, 100)).toString('latin1'))}`;
  return `${req.method} ${JSON.stringify(req.path.slice(0, 80))} ${headers}${req.chunked ? ' chunked' : ''} — ${body}`;
}

function fuzzCase(category: Category, build: (tag: string) => FuzzRequest): FuzzCase {
  return { category, build };
}

// ───────────────────────────── building blocks ─────────────────────────────

/** Characters that break naive text handling, grouped by the trap they set. */
// prettier-ignore
const ODD_CHARACTERS = [
  '\u0000', '\u0007', '\t', '\n', // controls
  '\u200b', '\u200c', '\u200d', '\ufeff', // zero-width space, non-joiner, joiner, BOM
  '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069', // bidi marks, embeddings, overrides, isolates
  '\ud800', '\udbff', '\udc00', '\udfff', // lone surrogates (not representable in UTF-8)
  '\ufffd', '\ufffe', '\uffff', '\u2028', '\u2029', // replacement char, noncharacters, JS line terminators
  '\u0301', 'é', 'İ', 'ß', '中', 'ﷺ', // combining mark, case-mapping traps, wide and long glyphs
  '😀', '👩‍👩‍👧', '🇺🇳', // astral plane, ZWJ sequence, flag
  '"', '\\', '/', '</script>', '%00', '%zz', // escaping traps
];

/** Text a browser could plausibly put in an event: any graphemes, raw UTF-16 units (lone surrogates), odd characters. */
function oddText(maxCodePoints: number): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.string({ unit: 'grapheme', maxLength: maxCodePoints }),
      fc.string({
        unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
        maxLength: maxCodePoints,
      }),
      fc
        .array(fc.constantFrom(...ODD_CHARACTERS), { maxLength: maxCodePoints })
        .map((parts) => parts.join('')),
    )
    .map((text) => clampCodePoints(text, maxCodePoints));
}

/** Header values a client can put on the wire: printable ASCII and Latin-1 bytes (Node refuses CR, LF and other controls). */
function headerText(maxLength: number): fc.Arbitrary<string> {
  const byte = fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }));
  return fc.string({ unit: byte.map((code) => String.fromCharCode(code)), maxLength });
}

/** A client address; varied so a per-IP rate limit does not throttle the valid events. */
const clientIp = fc.oneof(fc.ipV4(), fc.ipV6());

/** How a browser sends: the tracker's content types, a real browser User-Agent, one proxy hop. */
const browserTransport: fc.Arbitrary<Transport> = fc.record({
  contentType: fc.constantFrom(...BROWSER_CONTENT_TYPES),
  userAgent: fc.constantFrom(...BROWSER_USER_AGENTS),
  forwardedFor: clientIp,
  host: fc.constant(null),
  chunked: fc.boolean(),
});

/** Page URLs on the test site in every spelling a browser produces; the stored hostname must always be the site domain. */
function pageUrl(domain: string): fc.Arbitrary<string> {
  const segment = fc.oneof(fc.webSegment(), oddText(8));
  const utmKey = fc.constantFrom(
    'utm_source',
    'utm_medium',
    'utm_campaign',
    'utm_content',
    'utm_term',
    'ref',
    'q',
  );
  return fc
    .record({
      scheme: fc.constantFrom('https://', 'http://', 'HTTPS://'),
      // A trailing dot is a fully-qualified spelling of the same host (`location.href` keeps it),
      // so it must be accepted and stored as the site domain too.
      host: fc.oneof(
        { arbitrary: fc.constantFrom(domain, `www.${domain}`, domain.toUpperCase()), weight: 7 },
        { arbitrary: fc.constant(`${domain}.`), weight: 1 },
      ),
      port: fc.constantFrom('', '', ':443', ':8080'),
      path: fc.array(segment, { maxLength: 4 }).map((segments) => `/${segments.join('/')}`),
      query: fc.oneof(
        fc.constant(''),
        fc
          .array(fc.tuple(utmKey, oddText(12)), { minLength: 1, maxLength: 4 })
          .map((pairs) => `?${new URLSearchParams(pairs).toString()}`),
      ),
      hash: fc.constantFrom('', '', '#section', '#/settings/profile', '#/'),
    })
    .map((u) => u.scheme + u.host + u.port + u.path + u.query + u.hash);
}

/** Spellings of the site's domain that normalise to it (README: scheme, www., port, case, trailing dot ignored). */
function domainField(domain: string): fc.Arbitrary<string> {
  return fc.constantFrom(
    domain,
    domain.toUpperCase(),
    `www.${domain}`,
    `https://www.${domain}/any/path`,
    ` ${domain} `,
    `${domain}.`,
    `${domain}:8443`,
  );
}

const referrerArb: fc.Arbitrary<string | null> = fc.oneof(
  fc.constant(null),
  fc.constantFrom(
    '',
    'https://www.google.com/search?q=kites',
    'https://news.ycombinator.com/item?id=1',
    'android-app://com.slack/',
  ),
  fc.webSegment().map((s) => `https://ref-${s}.example/${s}`),
  oddText(40),
);

const propsArb: fc.Arbitrary<Record<string, string | number | boolean | null>> = fc
  .uniqueArray(
    fc.tuple(
      oddText(40).filter((key) => key.length > 0 && key !== '__proto__'),
      fc.oneof(
        oddText(60),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
      ),
    ),
    { selector: ([key]) => key, maxLength: 8 },
  )
  .map((entries) => Object.fromEntries(entries));

const revenueArb = fc.record({
  amount: fc.oneof(
    fc.integer({ min: 0, max: 100_000_000_000 }).map((cents) => cents / 100),
    fc.integer({ min: 0, max: 1_000_000 }).map((cents) => (cents / 100).toFixed(2)),
  ),
  currency: fc.constantFrom('EUR', 'usd', 'GbP', 'JPY', 'chf'),
});

/** A valid event for the test site; the name gets its tag at send time. */
function eventSpec(domain: string): fc.Arbitrary<EventSpec> {
  return fc.record(
    {
      nameSuffix: oddText(40),
      url: pageUrl(domain),
      domain: domainField(domain),
      referrer: referrerArb,
      props: fc.option(propsArb, { nil: null }),
      revenue: fc.option(revenueArb, { nil: null }),
      interactive: fc.boolean(),
    },
    { requiredKeys: ['nameSuffix', 'url', 'domain'] },
  );
}

/** A minimal valid event, for generators that put their payload elsewhere. */
const plainEvent = (domain: string, tag: string, path = '/'): Record<string, unknown> => ({
  name: tag,
  url: `https://${domain}${path}`,
  domain,
});

// ───────────────────────────── generators, one per category ─────────────────────────────

/** Valid events sent the way the tracker sends them: these must be stored, exactly once, exactly as sent. */
function validEvents(domain: string): fc.Arbitrary<FuzzCase> {
  return fc.tuple(eventSpec(domain), browserTransport).map(([spec, transport]) =>
    fuzzCase('valid', (tag) => {
      const body = utf8(JSON.stringify(eventJson(spec, tag)));
      return buildRequest(transport, body, expectFromBytes(body));
    }),
  );
}

/** Fields the receiver does not know, some of them names of columns: ignored, never stored as given (a far-future `timestamp` least of all). */
function extraFields(domain: string): fc.Arbitrary<FuzzCase> {
  // Known fields, Plausible's one-letter aliases and the engagement fields are not "extra".
  const known = new Set([
    'name',
    'url',
    'domain',
    'referrer',
    'props',
    'revenue',
    'interactive',
    ...['n', 'u', 'd', 'r', 'p', 'm', 'meta', '$', 'i', 'h', 'hashMode'],
    ...['sd', 'e', 'scroll_depth', 'engagement_time'],
  ]);
  const absurdValue = fc.oneof(
    fc.constantFrom(
      32_503_680_000_000, // year 3000 in ms
      -8.64e15, // the earliest Date
      Number.MAX_VALUE,
      -1,
      0,
      '2999-12-31T23:59:59Z',
      '-000001-01-01T00:00:00Z',
      '1970-01-01 00:00:00',
      'now',
      '',
    ),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const key = fc.oneof(
    fc.constantFrom(
      'timestamp',
      'ts',
      'time',
      'received_at',
      'site_id',
      'hostname',
      'pathname',
      'visitor_id',
      'session_id',
      'event_id',
      'country_code',
      'props_keys',
      'w',
      'v',
    ),
    oddText(20),
  );
  const extras = fc
    .uniqueArray(fc.tuple(key, absurdValue), { selector: ([k]) => k, minLength: 1, maxLength: 6 })
    .map((entries) => entries.filter(([k]) => !known.has(k) && k !== '__proto__' && k !== 'constructor'));
  const normal = fc.tuple(eventSpec(domain), extras, browserTransport).map(([spec, entries, transport]) =>
    fuzzCase('extraFields', (tag) => {
      const body = utf8(JSON.stringify({ ...eventJson(spec, tag), ...Object.fromEntries(entries) }));
      return buildRequest(transport, body, expectFromBytes(body));
    }),
  );
  // Prototype-pollution keys: rejecting them is fine, so is ignoring them; storing anything else is not.
  const poisoned = fc
    .tuple(
      fc.constantFrom('"__proto__":{"isAdmin":true}', '"constructor":{"prototype":{"x":1}}'),
      browserTransport,
    )
    .map(([poison, transport]) =>
      fuzzCase('extraFields', (tag) => {
        const text = JSON.stringify(plainEvent(domain, tag));
        const body = utf8(`{${poison},${text.slice(1)}`);
        const accepted = expectFromBytes(utf8(text));
        return buildRequest(transport, body, { ...accepted, statuses: [202, 400], rowRequired: false });
      }),
    );
  return fc.oneof({ arbitrary: normal, weight: 5 }, { arbitrary: poisoned, weight: 1 });
}

/**
 * Bodies just under and just over the 16 KB limit (and far over it), in 1- to 4-byte characters
 * so that bytes and characters differ, plus single fields at and one past their own limit.
 */
function hugeStrings(domain: string): fc.Arbitrary<FuzzCase> {
  const filler = fc.constantFrom('a', 'é', '中', '😀');
  const targetBytes = fc.oneof(
    fc.integer({ min: BODY_LIMIT - 64, max: BODY_LIMIT + 64 }),
    fc.constantFrom(BODY_LIMIT, BODY_LIMIT + 1, BODY_LIMIT * 4, 1024 * 1024),
  );
  // Valid props spread over several keys, topped up to the exact byte count by an ignored field.
  const nearLimitEvent = fc
    .tuple(targetBytes, filler, fc.integer({ min: 0, max: 100 }), browserTransport)
    .map(([target, char, share, transport]) =>
      fuzzCase('hugeStrings', (tag) => {
        const base = plainEvent(domain, tag, '/huge');
        const room = Math.max(0, target - byteLength(JSON.stringify({ ...base, props: {}, pad: '' })) - 400);
        const propBytes = Math.floor((room * share) / 100);
        const perProp = EVENT_LIMITS.propValueLength;
        const units = Math.floor(propBytes / byteLength(char));
        const props: Record<string, string> = {};
        for (let i = 0; i * perProp < units && i < EVENT_LIMITS.propsCount; i++)
          props[`p${i}`] = char.repeat(Math.min(perProp, units - i * perProp));
        const unpadded = JSON.stringify({ ...base, props, pad: '' });
        const text = JSON.stringify({
          ...base,
          props,
          pad: 'x'.repeat(Math.max(0, target - byteLength(unpadded))),
        });
        const body = utf8(text);
        return buildRequest(transport, body, expectFromBytes(body));
      }),
    );
  // One field at its limit (stored), one past it (400), or filling the whole body (413).
  type Field = 'name' | 'url' | 'referrer' | 'propKey' | 'propValue' | 'propsCount';
  const fieldAtLimit = fc
    .tuple(
      fc.constantFrom<Field>('name', 'url', 'referrer', 'propKey', 'propValue', 'propsCount'),
      fc.constantFrom(0, 1, 5_000),
      fc.constantFrom('a', 'é', '中'),
      browserTransport,
    )
    .map(([field, over, char, transport]) =>
      fuzzCase('hugeStrings', (tag) => {
        const event = plainEvent(domain, tag, '/limit');
        const fill = (limit: number, prefix = '') =>
          prefix + char.repeat(Math.max(0, limit + over - Array.from(prefix).length));
        if (field === 'name') event.name = fill(EVENT_LIMITS.nameLength, tag);
        if (field === 'url') event.url = fill(EVENT_LIMITS.urlLength, `https://${domain}/`);
        if (field === 'referrer') event.referrer = fill(EVENT_LIMITS.referrerLength, 'https://ref.example/');
        if (field === 'propKey') event.props = { [fill(EVENT_LIMITS.propKeyLength)]: 1 };
        if (field === 'propValue') event.props = { k: fill(EVENT_LIMITS.propValueLength) };
        if (field === 'propsCount')
          event.props = Object.fromEntries(
            Array.from({ length: EVENT_LIMITS.propsCount + Math.min(over, 1) }, (_, i) => [`k${i}`, i]),
          );
        const body = utf8(JSON.stringify(event));
        const expected =
          body.byteLength > BODY_LIMIT ? TOO_LARGE : over === 0 ? expectFromBytes(body) : INVALID_BODY;
        return buildRequest(transport, body, expected);
      }),
    );
  return fc.oneof(nearLimitEvent, fieldAtLimit);
}

/** Raw byte sequences that are not (or not minimal) UTF-8, plus valid multi-byte ones for contrast. */
const RAW_SEQUENCES: readonly (readonly number[])[] = [
  [0xc0, 0xaf], // overlong '/'
  [0xe0, 0x80, 0xaf], // overlong '/' (3 bytes)
  [0xf0, 0x80, 0x80, 0xaf], // overlong '/' (4 bytes)
  [0xc0, 0x80], // overlong NUL (Modified UTF-8)
  [0xed, 0xa0, 0x80], // an encoded high surrogate (CESU-8)
  [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80], // an emoji as CESU-8 surrogate pair
  [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
  [0xf8, 0x88, 0x80, 0x80, 0x80], // 5-byte form
  [0xfc, 0x84, 0x80, 0x80, 0x80, 0x80], // 6-byte form
  [0xff],
  [0xfe],
  [0x80], // lone continuation byte
  [0xe2, 0x82], // truncated '€'
  [0xf0, 0x9f, 0x98], // truncated emoji
  [0x00], // a raw NUL inside a string is not JSON
  [0x1f],
  [0xe2, 0x80, 0xae], // RTL override, valid
  [0xef, 0xbb, 0xbf], // BOM in the middle, valid
  [0xf0, 0x9f, 0x98, 0x80], // emoji, valid
];

/** Unicode oddities in names, props and paths: as JS strings (JSON-escaped lone surrogates) and as raw bytes on the wire. */
function unicodeOddities(domain: string): fc.Arbitrary<FuzzCase> {
  const oddChars = fc
    .array(fc.constantFrom(...ODD_CHARACTERS), { minLength: 1, maxLength: 20 })
    .map((parts) => parts.join(''));
  const asStrings = fc
    .tuple(eventSpec(domain), oddChars, oddChars, browserTransport)
    .map(([spec, name, value, transport]) =>
      fuzzCase('unicode', (tag) => {
        const event = eventJson({ ...spec, nameSuffix: name, props: { [value]: value } }, tag);
        const body = utf8(JSON.stringify(event));
        return buildRequest(transport, body, expectFromBytes(body));
      }),
    );
  type Place = 'name' | 'propValue' | 'path' | 'bom';
  const asBytes = fc
    .tuple(
      fc.constantFrom<Place>('name', 'propValue', 'path', 'bom'),
      fc.array(fc.constantFrom(...RAW_SEQUENCES), { minLength: 1, maxLength: 4 }),
      browserTransport,
    )
    .map(([place, sequences, transport]) =>
      fuzzCase('unicode', (tag) => {
        const raw = new Uint8Array(sequences.flat());
        const marker = '\u0001MARK\u0001'; // JSON-escaped by stringify, so it is unique in the text
        const event = plainEvent(domain, tag);
        if (place === 'name') event.name = `${tag}${marker}`;
        if (place === 'propValue') event.props = { k: marker };
        if (place === 'path') event.url = `https://${domain}/p${marker}`;
        const text = JSON.stringify(event);
        const [before, after] =
          place === 'bom' ? ['', text] : text.split(JSON.stringify(marker).slice(1, -1));
        const body =
          place === 'bom'
            ? concatBytes(new Uint8Array([0xef, 0xbb, 0xbf]), utf8(text))
            : concatBytes(utf8(before ?? ''), raw, utf8(after ?? ''));
        return buildRequest(transport, body, expectFromBytes(body));
      }),
    );
  return fc.oneof(asStrings, asBytes);
}

/**
 * Spoofed and odd headers around a valid event: X-Forwarded-For garbage, hundreds of hops, IPv6,
 * kilobytes long, repeated; Host oddities; content types in every variant; bot and garbage
 * User-Agents; bodies labelled (and encoded) in other charsets. Header sizes stay under Node's 16 KB
 * header limit: past it Node's HTTP parser answers 431 before the receiver sees the request.
 */
function headerSpoofing(domain: string): fc.Arbitrary<FuzzCase> {
  const forwardedFor = fc.oneof(
    clientIp,
    headerText(200),
    fc.array(clientIp, { minLength: 2, maxLength: 150 }).map((hops) => hops.join(', ')),
    fc.constantFrom(
      '',
      ',',
      ' , , ',
      'unknown',
      '::1',
      '[::1]:8080',
      'fe80::1%eth0',
      '::ffff:8.8.8.8',
      '2001:4860:4860::8888',
      '999.999.999.999',
      '8.8.8.8:1234',
      '1.2.3',
      '0x7f.1',
      '\u00ff\u00fe',
    ),
    fc.tuple(clientIp, fc.integer({ min: 100, max: 150 })).map(([ip, n]) => `${ip}, `.repeat(n) + ip),
    fc.array(headerText(60), { minLength: 2, maxLength: 5 }), // the header repeated on several lines
  );
  const host = fc.oneof(
    fc.constant(null),
    headerText(100),
    fc.constantFrom(
      '',
      'evil.example',
      domain,
      '[::1]:4100',
      '[fe80::1%25eth0]',
      'host:99999',
      'host:abc',
      'a b',
    ),
    fc.integer({ min: 500, max: 2_000 }).map((n) => 'h'.repeat(n)),
  );
  const contentType = fc.oneof(
    {
      arbitrary: fc.constantFrom(
        'text/plain',
        'TEXT/PLAIN',
        'text/plain;charset=utf-16',
        'text/plain; charset=iso-8859-1',
        'text/plain; foo=bar',
        'application/json',
        'application/json; charset=latin1',
        'application/json;charset=UTF-8',
        'application/json; charset="utf-8"',
        'Application/JSON',
      ),
      weight: 6,
    },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: headerText(80), weight: 1 },
    fc.constantFrom(
      'multipart/form-data; boundary=----x',
      'application/x-www-form-urlencoded',
      'application/octet-stream',
      'application/vnd.api+json',
      'application/jsonx',
      'text/html',
      'text/plainx',
      '*/*',
      '',
      ';;;==',
    ),
  );
  const userAgent = fc.oneof(
    { arbitrary: fc.constantFrom(...BROWSER_USER_AGENTS), weight: 6 },
    { arbitrary: fc.constantFrom(...CRAWLER_USER_AGENTS, 'Mozilla/5.0', ''), weight: 2 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: headerText(2_000), weight: 1 },
  );
  const encoding = fc.constantFrom<BufferEncoding>('utf8', 'utf8', 'utf8', 'utf16le', 'latin1');
  return fc
    .record({
      spec: eventSpec(domain),
      contentType,
      userAgent,
      forwardedFor: fc.option(forwardedFor, { nil: null }),
      host,
      chunked: fc.boolean(),
      encoding,
    })
    .map(({ spec, encoding: bodyEncoding, ...transport }) =>
      fuzzCase('headerSpoofing', (tag) => {
        const text = JSON.stringify(eventJson(spec, tag));
        const body = new Uint8Array(Buffer.from(text, bodyEncoding));
        const media = mediaTypeOf(transport.contentType);
        const charset = /charset="?([^";]+)/i
          .exec(transport.contentType ?? '')?.[1]
          ?.trim()
          .toLowerCase();
        let expected: Expected;
        if (media === null || !ACCEPTED_MEDIA_TYPES.has(media)) expected = UNSUPPORTED;
        else if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
          // Labelled as another charset: reading it as UTF-8 anyway, decoding it by its label and
          // rejecting it are all defensible; if stored, it must still be this event (same tag, same
          // site and host), though its text may differ with the decoding.
          expected = {
            statuses: [202, 400],
            codes: ['malformed_json', 'invalid_body'],
            row: { name: null, pathname: null, props: null, revenueCurrency: null },
            rowRequired: false,
          };
        else expected = expectFromBytes(body); // unlabelled or UTF-8: decoded as UTF-8, whatever it is
        const ua = transport.userAgent;
        // Crawlers are answered 202 and dropped (README); a missing, very short or random
        // User-Agent may or may not count as automated, so its event may be stored or not.
        if (ua !== null && CRAWLER_USER_AGENTS.includes(ua))
          expected = { ...expected, row: null, rowRequired: false };
        else if (ua === null || !BROWSER_USER_AGENTS.includes(ua))
          expected = { ...expected, rowRequired: false };
        return buildRequest(transport, body, expected);
      }),
    );
}

/** Each field given a value of the wrong type (or a wrong value of the right type), one fault per request. */
function wrongTypes(domain: string): fc.Arbitrary<FuzzCase> {
  const anyJson = fc.jsonValue({ maxDepth: 2 });
  const nonString = fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(anyJson, { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), anyJson, { maxKeys: 3 }),
  );
  const notStringOrNull = nonString.filter((v) => v !== null);
  const notObject = fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.string({ maxLength: 10 }),
    fc.array(anyJson, { maxLength: 3 }),
  );
  // props / revenue given as a string are parsed as JSON (plausible-tracker sends p that way): a
  // string that is not JSON of an object gets the field's own code (strings that are JSON of an
  // object are valid bodies, so they are left out here).
  const jsonObject = (value: unknown): boolean => {
    if (typeof value !== 'string') return false;
    try {
      const parsed: unknown = JSON.parse(value);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    } catch {
      return false;
    }
  };
  const stringCode = (value: unknown, code: string): string =>
    typeof value === 'string' ? code : 'invalid_body';
  type Fault = { field: string; value: unknown; code: string };
  const fault: fc.Arbitrary<Fault> = fc.oneof(
    fc
      .tuple(fc.constantFrom('name', 'url', 'domain'), fc.oneof(nonString, fc.constant('')))
      .map(([field, value]) => ({
        field,
        value,
        code: 'invalid_body',
      })),
    notStringOrNull.map((value) => ({ field: 'referrer', value, code: 'invalid_body' })),
    notObject
      .filter((value) => !jsonObject(value))
      .map((value) => ({ field: 'props', value, code: stringCode(value, 'invalid_props') })),
    fc
      .oneof(
        fc.array(anyJson, { maxLength: 2 }),
        fc.dictionary(fc.string({ maxLength: 5 }), anyJson, { minKeys: 1, maxKeys: 2 }),
      )
      .map((nested) => ({ field: 'props', value: { k: nested }, code: 'invalid_body' })),
    fc.constant({ field: 'props', value: { '': 'empty key' }, code: 'invalid_body' }),
    fc
      .oneof(
        notObject,
        fc.constant({}),
        fc.constant({ amount: 1 }),
        fc.constant({ currency: 'EUR' }),
        fc.constant({ amount: 1, currency: 'EUR', extra: true }),
        fc
          .oneof(fc.boolean(), fc.constant(null), fc.array(fc.integer()))
          .map((amount) => ({ amount, currency: 'EUR' })),
        fc
          .oneof(fc.integer(), fc.constantFrom('EURO', 'E1R', '€', '', 'us'))
          .map((currency) => ({ amount: 1, currency })),
      )
      .filter((value) => !jsonObject(value))
      .map((value) => ({ field: 'revenue', value, code: stringCode(value, 'invalid_revenue') })),
    fc
      .oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null), fc.array(fc.boolean()))
      .map((value) => ({ field: 'interactive', value, code: 'invalid_body' })),
    // Right type, wrong value: each has its own documented code.
    fc
      .constantFrom(
        'not a url',
        '/relative/path',
        'javascript:alert(1)',
        'ftp://files.example/x',
        'data:text/plain,hi',
        'mailto:a@b.example',
        'file:///etc/passwd',
        'https://',
        '//no-scheme.example/',
      )
      .map((value) => ({ field: 'url', value, code: 'invalid_url' })),
    fc
      .constantFrom(
        'not a domain!',
        'a..b',
        'exa_mple.com',
        'ex"ample.com',
        '😀.example',
        'https://',
        'localhost:abc',
        '.',
      )
      .map((value) => ({ field: 'domain', value, code: 'invalid_domain' })),
    fc
      .constantFrom('lots', 'NaN', 'Infinity', '-Infinity', 1e12, -1e13, 1e308, '1e12')
      .map((amount) => ({ field: 'revenue', value: { amount, currency: 'EUR' }, code: 'invalid_revenue' })),
  );
  const fieldFault = fc.tuple(fault, browserTransport).map(([{ field, value, code }, transport]) =>
    fuzzCase('wrongTypes', (tag) => {
      const body = utf8(JSON.stringify({ ...plainEvent(domain, tag, '/wrong-type'), [field]: value }));
      return buildRequest(transport, body, { ...INVALID_BODY, codes: [code] });
    }),
  );
  // A whole body of the wrong type: valid JSON, not an object.
  const wholeBody = fc
    .tuple(
      fc.oneof(
        fc.array(anyJson, { maxLength: 3 }),
        fc.string(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
      ),
      browserTransport,
    )
    .map(([value, transport]) =>
      fuzzCase('wrongTypes', () => buildRequest(transport, utf8(JSON.stringify(value)), INVALID_BODY)),
    );
  return fc.oneof({ arbitrary: fieldFault, weight: 4 }, { arbitrary: wholeBody, weight: 1 });
}

/** Required fields left out (any non-empty subset), down to `{}`. */
function missingFields(domain: string): fc.Arbitrary<FuzzCase> {
  // Without `domain` alone the url's host is used (as Plausible does): name or url is always missing.
  return fc
    .tuple(fc.subarray(['name', 'url'], { minLength: 1 }), fc.boolean(), eventSpec(domain), browserTransport)
    .map(
      ([required, withDomain, spec, transport]) =>
        [[...required, ...(withDomain ? ['domain'] : [])], spec, transport] as const,
    )
    .map(([missing, spec, transport]) =>
      fuzzCase('missingFields', (tag) => {
        const event = eventJson(spec, tag);
        for (const field of missing) delete event[field];
        return buildRequest(transport, utf8(JSON.stringify(event)), INVALID_BODY);
      }),
    );
}

/** A valid event cut off anywhere (mid-escape, mid-multi-byte-character, empty) or with garbage after it. */
function truncatedJson(domain: string): fc.Arbitrary<FuzzCase> {
  const cut = fc
    .tuple(eventSpec(domain), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), browserTransport)
    .map(([spec, at, transport]) =>
      fuzzCase('truncatedJson', (tag) => {
        const whole = utf8(JSON.stringify(eventJson(spec, tag)));
        return buildRequest(transport, whole.subarray(0, Math.floor(whole.byteLength * at)), MALFORMED);
      }),
    );
  const trailing = fc
    .tuple(
      eventSpec(domain),
      fc.constantFrom('}', ',', 'x', '\u0000', '{}', '"', ']', 'null'),
      browserTransport,
    )
    .map(([spec, garbage, transport]) =>
      fuzzCase('truncatedJson', (tag) =>
        buildRequest(transport, utf8(JSON.stringify(eventJson(spec, tag)) + garbage), MALFORMED),
      ),
    );
  return fc.oneof({ arbitrary: cut, weight: 3 }, { arbitrary: trailing, weight: 1 });
}

/**
 * Up to 5,000 levels of `[` or `{"a":` in props, as the name, as the whole body, or in an ignored
 * extra field (where it is valid and must be stored); closed or left open. `{"a":` × 5,000 is over
 * the body limit, so it also checks that the limit is enforced before parsing.
 */
function deepNesting(domain: string): fc.Arbitrary<FuzzCase> {
  type Where = 'propValue' | 'props' | 'name' | 'body' | 'extraField';
  return fc
    .record({
      depth: fc.oneof(fc.constant(5_000), fc.integer({ min: 2, max: 5_000 })),
      opener: fc.constantFrom('[', '{"a":'),
      where: fc.constantFrom<Where>('propValue', 'props', 'name', 'body', 'extraField'),
      closed: fc.boolean(),
      transport: browserTransport,
    })
    .map(({ depth, opener, where, closed, transport }) =>
      fuzzCase('deepNesting', (tag) => {
        const closer = opener === '[' ? ']' : '}';
        const nest = opener.repeat(depth) + (closed ? `1${closer.repeat(depth)}` : '');
        const event = JSON.stringify(plainEvent(domain, tag, '/deep')).slice(0, -1);
        const text =
          where === 'body'
            ? nest
            : where === 'name'
              ? `{"name":${nest}}`
              : where === 'props'
                ? `${event},"props":${nest}}`
                : where === 'propValue'
                  ? `${event},"props":{"a":${nest}}}`
                  : `${event},"extra":${nest}}`;
        const body = utf8(text);
        const expected =
          body.byteLength > BODY_LIMIT
            ? TOO_LARGE
            : !closed
              ? MALFORMED
              : where === 'extraField'
                ? expectFromBytes(body)
                : INVALID_BODY;
        return buildRequest(transport, body, expected);
      }),
    );
}

/** Random bytes and random JSON documents, under every content type, up to past the body limit. */
function randomBytes(): fc.Arbitrary<FuzzCase> {
  const bytes = fc.oneof(
    { arbitrary: fc.uint8Array({ maxLength: 2_048 }), weight: 6 },
    { arbitrary: fc.uint8Array({ minLength: BODY_LIMIT - 16, maxLength: BODY_LIMIT + 16 }), weight: 1 },
    { arbitrary: fc.json({ maxDepth: 4 }).map(utf8), weight: 3 },
  );
  const contentType = fc.oneof(
    fc.constantFrom(...BROWSER_CONTENT_TYPES),
    fc.constantFrom(null, 'application/octet-stream', 'image/png'),
  );
  return fc
    .record({
      body: bytes,
      contentType,
      userAgent: fc.constantFrom(...BROWSER_USER_AGENTS),
      forwardedFor: clientIp,
      host: fc.constant(null),
      chunked: fc.boolean(),
    })
    .map(({ body, ...transport }) =>
      fuzzCase('randomBytes', () => buildRequest(transport, body, randomBodyExpectation(body, transport))),
    );
}

/** Never stored; 400 for garbage, 413 past the limit, 415 under a content type other than JSON/text. */
function randomBodyExpectation(body: Uint8Array, transport: Transport): Expected {
  const media = mediaTypeOf(transport.contentType);
  if (media === null || !ACCEPTED_MEDIA_TYPES.has(media)) {
    // An empty body has nothing to parse and an oversized one may be refused before its type is
    // looked at, so those may be answered by what is wrong with them instead.
    const alternatives = body.byteLength === 0 ? [400] : body.byteLength > BODY_LIMIT ? [413] : [];
    return { ...UNSUPPORTED, statuses: [415, ...alternatives] };
  }
  if (body.byteLength > BODY_LIMIT) return TOO_LARGE;
  return { statuses: [400], codes: ['malformed_json', 'invalid_body'], row: null, rowRequired: false };
}

/** The site's domain with a page URL on a host outside the site's allowlist: 403, never stored. */
function hostMismatch(domain: string): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(
      fc.constantFrom(
        'https://evil.example/',
        'https://127.0.0.1/',
        'http://[::1]/',
        'http://localhost:3000/',
        `https://${domain}.evil.example/`,
        `https://${domain}@evil.example/`,
        `https://evil.example\\@${domain}/`,
        `https://evil.example/${domain}`,
      ),
      browserTransport,
    )
    .map(([url, transport]) =>
      fuzzCase('hostMismatch', (tag) =>
        buildRequest(transport, utf8(JSON.stringify({ ...plainEvent(domain, tag), url })), HOST_NOT_ALLOWED),
      ),
    );
}

/** Well-formed events for domains nobody registered, including with a page URL on the test site: 202, never stored. */
function unknownSite(domain: string): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.boolean(), browserTransport)
    .map(([label, urlOnTestSite, transport]) =>
      fuzzCase('unknownSite', (tag) => {
        const other = `unregistered-${label}.invalid`;
        const url = `https://${urlOnTestSite ? domain : other}/`;
        return buildRequest(transport, utf8(JSON.stringify({ name: tag, url, domain: other })), DROPPED);
      }),
    );
}

/** Other methods on the event path and the event body on other paths: 404 in the documented error shape. */
function wrongRoute(domain: string): fc.Arbitrary<FuzzCase> {
  const wrongPath = fc.oneof(
    fc.constantFrom(
      '/api/event/',
      '/api/events',
      '/API/EVENT',
      '//api/event',
      '/api',
      '/',
      '/api/event/extra',
      '/api/event%00',
      '/api/%zz',
      '/api/event/%',
      '/%2e%2e/api/event',
    ),
    fc.webPath().map((path) => `/x${path}`),
  );
  const route = fc.oneof(
    fc.record({
      method: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'HEAD'),
      path: fc.constant('/api/event'),
    }),
    fc.record({ method: fc.constant('POST'), path: wrongPath }),
  );
  return fc.tuple(route, browserTransport).map(([{ method, path }, transport]) =>
    fuzzCase('wrongRoute', (tag) => {
      const body = method === 'HEAD' ? undefined : utf8(JSON.stringify(plainEvent(domain, tag)));
      // A path with broken percent-encoding may be refused as a bad request instead of not found.
      const badEncoding = /%(?![0-9a-f]{2})/i.test(path) || /%00/.test(path);
      const expected = badEncoding ? { ...NOT_FOUND, statuses: [400, 404], codes: ['bad_url'] } : NOT_FOUND;
      return buildRequest(transport, body, expected, { method, path });
    }),
  );
}

/** All generators, weighted; plain valid events are about a fifth of the traffic. */
function fuzzCases(domain: string): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    { arbitrary: validEvents(domain), weight: 20 },
    { arbitrary: extraFields(domain), weight: 6 },
    { arbitrary: hugeStrings(domain), weight: 8 },
    { arbitrary: unicodeOddities(domain), weight: 10 },
    { arbitrary: headerSpoofing(domain), weight: 12 },
    { arbitrary: wrongTypes(domain), weight: 10 },
    { arbitrary: missingFields(domain), weight: 4 },
    { arbitrary: truncatedJson(domain), weight: 8 },
    { arbitrary: deepNesting(domain), weight: 6 },
    { arbitrary: randomBytes(), weight: 8 },
    { arbitrary: hostMismatch(domain), weight: 3 },
    { arbitrary: unknownSite(domain), weight: 2 },
    { arbitrary: wrongRoute(domain), weight: 3 },
  );
}

// ───────────────────────────── sending and judging ─────────────────────────────

/** node:http rather than fetch: raw bytes, repeated and odd headers, chunked bodies, any Host. */
function send(baseUrl: string, req: FuzzRequest): Promise<Outcome> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const headers = { ...req.headers };
    if (req.body !== undefined && !req.chunked) headers['content-length'] = String(req.body.byteLength);
    if (req.body !== undefined && req.chunked) headers['transfer-encoding'] = 'chunked';
    // A fresh connection per request (agent: false): an error answer may close its connection,
    // and a reused keep-alive socket would then fail the next request for the client's reasons.
    const outgoing = request(
      { host: '127.0.0.1', port: Number(port), method: req.method, path: req.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          finish({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            retryAfter: res.headers['retry-after'],
          }),
        );
        res.on('error', (err) =>
          finish({ status: res.statusCode ?? 0, body: '', transportError: err.message }),
        );
      },
    );
    outgoing.setTimeout(15_000, () => outgoing.destroy(new Error('no answer within 15 s')));
    // After an early answer (413 on Content-Length) the server may close while we still write: fine.
    outgoing.on('error', (err) => finish({ status: 0, body: '', transportError: err.message }));
    if (req.body === undefined) outgoing.end();
    else if (req.chunked) {
      const middle = Math.floor(req.body.byteLength / 2); // may split a multi-byte character
      outgoing.write(req.body.subarray(0, middle));
      outgoing.end(req.body.subarray(middle));
    } else outgoing.end(req.body);
  });
}

/** Everything wrong with one answer: `kind` groups alike failures, `detail` shows this one. */
function judge(req: FuzzRequest, outcome: Outcome): { kind: string; detail: string }[] {
  const { status, body, transportError } = outcome;
  const problems: { kind: string; detail: string }[] = [];
  const answer = `${status} ${body.slice(0, 160)}`;
  if (transportError !== undefined && status === 0)
    return [{ kind: 'no answer (connection failed)', detail: transportError }];
  if (status >= 500) problems.push({ kind: `server error ${status}`, detail: answer });
  else if (!DOCUMENTED_STATUSES.includes(status))
    problems.push({ kind: `undocumented status ${status}`, detail: answer });
  else if (status !== 429 && !req.expected.statuses.includes(status))
    problems.push({
      kind: `${status} where ${req.expected.statuses.join(' or ')} was expected`,
      detail: answer,
    });
  if ((status === 429 || status === 503) && outcome.retryAfter === undefined)
    problems.push({ kind: `${status} without Retry-After`, detail: answer });
  if (req.method === 'HEAD') return problems;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return [...problems, { kind: `${status} body is not JSON`, detail: answer }];
  }
  if (status === 202) {
    if ((json as { status?: unknown }).status !== 'accepted')
      problems.push({ kind: '202 body is not { status: "accepted" }', detail: answer });
    return problems;
  }
  const error = (json as { error?: { code?: unknown; message?: unknown } }).error;
  if (typeof error !== 'object' || typeof error.code !== 'string' || typeof error.message !== 'string')
    return [...problems, { kind: `${status} body is not { error: { code, message } }`, detail: answer }];
  const allowed =
    FIXED_CODES[status] ?? (status === 400 ? (req.expected.codes ?? DOCUMENTED_400_CODES) : null);
  if (allowed !== null && !allowed.includes(error.code))
    problems.push({
      kind: `${status} ${error.code}, expected ${[allowed].flat().join(' or ')}`,
      detail: answer,
    });
  return problems;
}

/** Failures grouped by kind; reported as one line per kind with its first few examples. */
class Findings {
  private readonly byKind = new Map<string, string[]>();

  add(kind: string, detail: string): void {
    const details = this.byKind.get(kind) ?? [];
    details.push(detail);
    this.byKind.set(kind, details);
  }

  report(examples = 3): string[] {
    return [...this.byKind].map(
      ([kind, details]) =>
        `${kind}: ${details.length}× — e.g.\n      ${details.slice(0, examples).join('\n      ')}`,
    );
  }
}

interface LedgerEntry {
  category: Category;
  status: number;
  expected: Expected;
}

// ───────────────────────────── the test ─────────────────────────────

describe('POST /api/event under fuzzed input', () => {
  const ctx = new TestContext();
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let flusher: ReturnType<typeof startFlusher>;
  let site: { id: number; domain: string };
  let before: NodeJS.MemoryUsage;
  let startedAt = 0;
  let nextSeq = 1;
  /** Every request sent, by the number in its tag. */
  const ledger = new Map<number, LedgerEntry>();
  let categoryStored = new Map<Category, number>();

  beforeAll(async () => {
    // One trusted proxy hop, so generated X-Forwarded-For headers reach the client-address logic.
    const config = ctx.ingestConfig({ TRUSTED_PROXY_HOPS: 1 });
    receiver = await startReceiver(config);
    flusher = startFlusher(config);
    site = await ctx.newSite();
    // The site lists its own domain as the only allowed page host (README: 403 for other hosts).
    await ctx.pool.query('UPDATE sites SET allowed_hostnames = $1 WHERE id = $2', [[site.domain], site.id]);
    // Warm up (site cache, salts, country database) before measuring memory.
    for (let i = 0; i < 5; i++)
      await postEvent(receiver.url, { name: 'warm-up', url: `https://${site.domain}/`, domain: site.domain });
    forceGc();
    before = process.memoryUsage();
    startedAt = Date.now();
  });

  afterAll(async () => {
    printSummary();
    await receiver.close();
    await flusher.close();
    await ctx.close();
  });

  async function sendCase(fuzz: FuzzCase, findings: Findings): Promise<void> {
    const seq = nextSeq++;
    const req = fuzz.build(`fz${seq}~`);
    const outcome = await send(receiver.url, req);
    ledger.set(seq, { category: fuzz.category, status: outcome.status, expected: req.expected });
    for (const { kind, detail } of judge(req, outcome))
      findings.add(`${fuzz.category}: ${kind}`, `${detail}\n        ← ${describeRequest(req)}`);
  }

  it(`answers ${TOTAL_REQUESTS} generated requests with documented statuses and error bodies`, async () => {
    console.log(`fuzz seed ${SEED} (set REPLAY_SEED to it to replay these inputs)`);
    const cases = fc.sample(fuzzCases(site.domain), { seed: SEED, numRuns: TOTAL_REQUESTS });
    const findings = new Findings();
    for (let i = 0; i < cases.length; i += BATCH_SIZE) {
      await Promise.all(cases.slice(i, i + BATCH_SIZE).map((fuzz) => sendCase(fuzz, findings)));
    }
    expect(ledger.size).toBe(TOTAL_REQUESTS);
    expect(findings.report(), `bad answers (seed ${SEED})`).toEqual([]);
  }, 240_000);

  // Before the storage check, which loads every stored row into this process.
  it('is still healthy, ready, and did not grow its memory without bound', async () => {
    expect((await fetch(`${receiver.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${receiver.url}/readyz`)).json()).toEqual({ status: 'ready' });
    const collected = forceGc();
    const after = process.memoryUsage();
    const growth = after.rss - before.rss;
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    console.log(
      `memory over the fuzz run (gc forced: ${collected}): rss ${mb(before.rss)} → ${mb(after.rss)}, ` +
        `heap used ${mb(before.heapUsed)} → ${mb(after.heapUsed)}, heap committed ${mb(before.heapTotal)} → ${mb(after.heapTotal)}`,
    );
    expect(growth, 'rss growth').toBeLessThan(MAX_RSS_GROWTH_BYTES);
    if (collected)
      expect(after.heapUsed - before.heapUsed, 'heap still in use').toBeLessThan(MAX_HEAP_USED_GROWTH_BYTES);
  });

  it('stored every accepted valid event exactly once, as sent, and nothing else', async () => {
    const sentinel = await postEvent(
      receiver.url,
      { name: SENTINEL_NAME, url: `https://${site.domain}/`, domain: site.domain },
      { 'x-forwarded-for': '192.0.2.200' }, // an address of its own, clear of any per-IP limit
    );
    expect(sentinel.status, 'the sentinel event').toBe(202);
    // The one flusher inserts in stream order: once the sentinel is stored, everything before it is.
    await eventually(() => ctx.countEvents(site.id, sql`name = ${SENTINEL_NAME}`), {
      timeoutMs: 30_000,
      what: 'the sentinel event to be flushed',
    }).catch(async (err: unknown) => {
      // A row ClickHouse refuses blocks its whole batch: say so rather than only "timed out".
      const flusherState = (await flusher.readiness.notReadyReason()) ?? 'ready';
      throw new Error(`${err instanceof Error ? err.message : String(err)}; flusher: ${flusherState}`);
    });
    const rows = await ctx.events<Record<string, unknown>>(site.id);
    const findings = new Findings();
    const violation = (kind: string, detail: string) => findings.add(kind, detail);
    const stored = new Map<number, number>();
    const earliest = startedAt - 5_000;
    const latest = Date.now() + 5_000;

    for (const row of rows) {
      const name = String(row.name);
      const where = `${JSON.stringify(name).slice(0, 80)} (path ${JSON.stringify(String(row.pathname)).slice(0, 60)})`;
      if (row.hostname !== site.domain)
        violation('hostname is not the site domain', `${JSON.stringify(row.hostname)} for ${where}`);
      if (!String(row.pathname).startsWith('/')) violation('pathname does not start with /', where);
      const timestamp = Date.parse(`${String(row.timestamp).replace(' ', 'T')}Z`);
      if (!(timestamp >= earliest && timestamp <= latest))
        violation('timestamp is not the time of receipt', `${String(row.timestamp)} for ${where}`);
      for (const [column, value] of Object.entries(row)) {
        for (const text of Array.isArray(value) ? value : [value]) {
          if (typeof text === 'string' && text !== text.toWellFormed())
            violation('ill-formed UTF-16', `${column} of ${where}`);
        }
      }
      if (name === SENTINEL_NAME || name === 'warm-up') continue;
      const seq = Number(TAG_PATTERN.exec(name)?.[1] ?? NaN);
      const sent = ledger.get(seq);
      if (sent === undefined) {
        violation('stored row matches no generated request', where);
        continue;
      }
      stored.set(seq, (stored.get(seq) ?? 0) + 1);
      const { expected } = sent;
      if (sent.status !== 202)
        violation(`stored although answered ${sent.status}`, `${sent.category} ${where}`);
      if (expected.row === null) {
        violation('stored although it must not be', `${sent.category} ${where}`);
        continue;
      }
      const want = expected.row;
      const got = { keys: row.props_keys as string[], values: row.props_values as string[] };
      if (want.name !== null && name !== want.name)
        violation(
          'name differs from the one sent',
          `${sent.category} ${where}, sent ${JSON.stringify(want.name).slice(0, 80)}`,
        );
      if (want.pathname !== null && row.pathname !== want.pathname)
        violation(
          'pathname differs',
          `${sent.category} ${where}, expected ${JSON.stringify(want.pathname).slice(0, 80)}`,
        );
      if (want.props !== null && JSON.stringify(got) !== JSON.stringify(want.props))
        violation(
          'props differ',
          `${sent.category} ${where}: ${JSON.stringify(got).slice(0, 120)} ≠ ${JSON.stringify(want.props).slice(0, 120)}`,
        );
      if (want.revenueCurrency !== null && row.revenue_currency !== want.revenueCurrency)
        violation('revenue currency differs', `${sent.category} ${where}`);
    }

    let acceptedValid = 0;
    let storedValid = 0;
    for (const [seq, sent] of ledger) {
      const count = stored.get(seq) ?? 0;
      if (count > 1) violation('stored more than once', `fz${seq} ${sent.category} ×${count}`);
      if (sent.status === 202 && sent.expected.row !== null && sent.expected.rowRequired) {
        acceptedValid++;
        if (count === 1) storedValid++;
        else if (count === 0) violation('accepted (202) but never stored', `fz${seq} ${sent.category}`);
      }
    }
    categoryStored = countStoredByCategory(stored);
    console.log(`valid events answered 202: ${acceptedValid}, stored exactly once: ${storedValid}`);

    expect(findings.report(), `stored rows (seed ${SEED})`).toEqual([]);
    expect(acceptedValid, 'valid events answered 202').toBeGreaterThan(0);
    expect(storedValid).toBe(acceptedValid);
  }, 60_000);

  function countStoredByCategory(stored: Map<number, number>): Map<Category, number> {
    const byCategory = new Map<Category, number>();
    for (const [seq, count] of stored) {
      const category = ledger.get(seq)?.category;
      if (category) byCategory.set(category, (byCategory.get(category) ?? 0) + count);
    }
    return byCategory;
  }

  /** Requests, answers and stored rows per category: the figures to look at when a run is green too. */
  function printSummary(): void {
    const lines = new Map<Category, { sent: number; statuses: Map<number, number> }>();
    for (const { category, status } of ledger.values()) {
      const line = lines.get(category) ?? { sent: 0, statuses: new Map<number, number>() };
      line.sent++;
      line.statuses.set(status, (line.statuses.get(status) ?? 0) + 1);
      lines.set(category, line);
    }
    const table = [...lines].map(([category, { sent, statuses }]) => {
      const answers = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
      return `  ${category.padEnd(15)} ${String(sent).padStart(5)} sent  stored ${String(categoryStored.get(category) ?? 0).padStart(4)}  ${answers.join(' ')}`;
    });
    console.log(
      `fuzzed ${ledger.size} requests in ${((Date.now() - startedAt) / 1000).toFixed(1)} s:\n${table.join('\n')}`,
    );
  }
});

/** A full collection when the runtime allows one (`--expose-gc`, or the flag switched on now); false otherwise. */
function forceGc(): boolean {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as (() => void) | undefined;
    } catch {
      return false;
    }
  }
  if (typeof gc !== 'function') return false;
  gc();
  return true;
}
