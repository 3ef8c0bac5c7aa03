/**
 * Sightline tracking script. Runs in the visitor's browser, so it has no dependencies, sets no
 * cookies and stores nothing. Configuration comes from attributes on its own <script> tag:
 *
 *   data-domain           (required) site domain, sent as `domain`
 *   data-api              endpoint URL; default: the script's origin + /api/event
 *   data-hash             hash-based routing: the url keeps its #fragment, hash changes are pageviews
 *   data-outbound-links   send `Outbound Link: Click` for clicks on links to other hosts
 *   data-file-downloads   send `File Download` for clicks on links to common file types
 *   data-allow-localhost  also send from localhost / 127.x.x.x / [::1] / file: pages
 *
 * script.engagement.js (and script.engagement.vitals.js), the same script built with ENGAGEMENT on,
 * also sends an `engagement` ping (scroll depth %, visible ms) when a page is hidden, left, or
 * replaced by an SPA navigation.
 *
 * Visitors opt out with `localStorage.sightline_ignore = 'true'`.
 * Size budget: 1,000 bytes after minify + gzip -9 (see test/size.spec.ts). Write clear code and let
 * esbuild minify it; do not golf.
 */

export {}; // a module, so its names do not leak into (or clash with) the DOM globals

/** Set by the build (bundle.ts): true only in the engagement variants; dead code in script.js. */
declare const ENGAGEMENT: boolean;

type PropValue = string | number | boolean | null;

interface EventOptions {
  props?: Record<string, PropValue>;
  revenue?: { amount: number | string; currency: string };
  /** Called once the event has been handed to the browser (sendBeacon) or the request settled. */
  callback?: () => void;
}

/** The body of POST /api/event (see IncomingEvent in @sightline/events). */
interface Payload {
  name: string;
  url: string;
  domain: string;
  referrer: string | null;
  props?: Record<string, PropValue>;
  revenue?: { amount: number | string; currency: string };
  /** Engagement pings: deepest scroll (percent) and visible milliseconds (Plausible's short keys). */
  sd?: number;
  e?: number;
}

type Track = (name: string, options?: EventOptions, ping?: Pick<Payload, 'url' | 'sd' | 'e'>) => void;
type SightlineWindow = Window & { sightline?: Track & { q?: Parameters<Track>[] } };

const FILE_TYPES = /\.(pdf|docx?|xlsx?|pptx?|csv|txt|rtf|zip|rar|7z|gz|dmg|exe|pkg|mp3|wav|mp4|mov|avi)$/i;
const LOCAL_HOST = /^(localhost|127(\.\d+){3}|\[::1\])$/;

// Null only when loaded as a module; then data-domain is missing and nothing is sent.
const script = document.currentScript as HTMLScriptElement | null;
const location = window.location; // a local name esbuild can shorten, unlike the global

function attribute(name: string): string | null {
  return script && script.getAttribute('data-' + name);
}

function enabled(name: string): boolean {
  return attribute(name) !== null;
}

const domain = attribute('domain');
const api = attribute('api') || new URL('/api/event', (script && script.src) || location.href).href;
const hashMode = enabled('hash');

function ignored(): boolean {
  try {
    if (localStorage.getItem('sightline_ignore') === 'true') return true;
  } catch {
    // Storage can throw (disabled cookies, sandboxed iframes): treat as not opted out.
  }
  return (
    !domain ||
    (!enabled('allow-localhost') && (LOCAL_HOST.test(location.hostname) || location.protocol === 'file:'))
  );
}

function currentUrl(): string {
  return hashMode ? location.href : location.href.split('#')[0]!;
}

const track: Track = (name, options = {}, ping) => {
  const done = () => {
    if (options.callback) options.callback();
  };
  if (ignored()) return done();

  const payload: Payload = {
    name,
    url: currentUrl(),
    domain: domain!,
    referrer: document.referrer || null,
    // JSON.stringify leaves out undefined values, so these only appear when given.
    props: options.props,
    revenue: options.revenue,
  };
  const body = JSON.stringify(ENGAGEMENT ? Object.assign(payload, ping) : payload);

  // sendBeacon returns false when the browser refuses to queue the data: fall back to fetch then too.
  if (navigator.sendBeacon && navigator.sendBeacon(api, body)) return done();
  fetch(api, { method: 'POST', body, keepalive: true, headers: { 'Content-Type': 'text/plain' } }).then(
    done,
    done,
  );
};

// ---- pageviews, including single-page-app navigation ---------------------------------------

let lastPage: string | undefined;

function pageview(): void {
  const page = location.pathname + (hashMode ? location.hash : '');
  if (page === lastPage) return;
  if (ENGAGEMENT && lastPage) engagement(); // the page being left, with its own url
  lastPage = page;
  if (ENGAGEMENT) {
    pageUrl = currentUrl();
    deepest = 0;
    visibleSince = Date.now();
    scrolled();
  }
  track('pageview');
}

// ---- engagement (the engagement variants only): when a page is hidden or left, how far down it was
// read and for how long it was visible ----------------------------------------------------------

let pageUrl: string;
let deepest: number;
/** When the page last became visible; 0 while hidden (and after its ping was sent). */
let visibleSince: number;

function scrolled(): void {
  const root = document.documentElement;
  deepest = Math.max(deepest, Math.round(((scrollY + innerHeight) / root.scrollHeight) * 100));
}

/** One ping per visible stretch; the receiver sums engaged time and keeps the deepest scroll. */
function engagement(): void {
  scrolled(); // the position now: the last scroll event may not have fired yet
  if (visibleSince) track('engagement', {}, { url: pageUrl, sd: deepest, e: Date.now() - visibleSince });
  visibleSince = 0;
}

if (ENGAGEMENT) {
  addEventListener('scroll', scrolled);
  addEventListener('pagehide', engagement);
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) engagement();
    else visibleSince = Date.now();
  });
}

function patchHistory(method: 'pushState' | 'replaceState'): void {
  const original = history[method];
  history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
    original.apply(this, args);
    pageview();
  };
}

patchHistory('pushState');
patchHistory('replaceState');
addEventListener('popstate', pageview);
if (hashMode) addEventListener('hashchange', pageview);

// ---- outbound links and file downloads ------------------------------------------------------

const trackOutbound = enabled('outbound-links');
const trackDownloads = enabled('file-downloads');

function onLinkClick(event: MouseEvent): void {
  // `click` fires for the primary button (0, with or without modifier keys) and `auxclick` for the
  // others: keep the middle one (1), which opens links in a new tab, and skip right-click (2) etc.
  if (event.button > 1) return;
  const link = event.target instanceof Element ? event.target.closest('a') : null;
  if (!link) return;

  if (trackDownloads && FILE_TYPES.test(link.pathname)) {
    // (An <a> without href has an empty pathname and host, so it matches neither branch.)
    // Drop the query string: signed download links carry credentials.
    track('File Download', { props: { url: link.origin + link.pathname } });
  } else if (trackOutbound && link.host && link.host !== location.host) {
    track('Outbound Link: Click', { props: { url: link.href } });
  }
}

if (trackOutbound || trackDownloads) {
  document.addEventListener('click', onLinkClick);
  document.addEventListener('auxclick', onLinkClick);
}

// ---- start: first pageview, then the calls queued by the snippet before the script loaded ----

const sightlineWindow = window as SightlineWindow;
const queued = (sightlineWindow.sightline && sightlineWindow.sightline.q) || [];
sightlineWindow.sightline = track;
pageview();
for (const args of queued) track(...args);
