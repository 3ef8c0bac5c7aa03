/**
 * Sightline web-vitals extension. Bundled after the base tracker into /js/script.vitals.js and
 * /js/script.engagement.vitals.js (bundle.ts), so a site swaps `script.js` for one of them and keeps
 * every attribute.
 * Measures, with the browser's own PerformanceObserver and Navigation Timing APIs (no library):
 *
 *   LCP   largest-contentful-paint: the last candidate (the browser stops at the first input)
 *   INP   event timing: the longest interaction (the 98th percentile from 50 interactions on)
 *   CLS   layout-shift: the largest session window (gaps < 1 s, windows ≤ 5 s) of unexpected shifts
 *   FCP   paint: first-contentful-paint
 *   TTFB  navigation: responseStart
 *
 * and sends them once per page load, when the page is first hidden (final values), to
 * `data-vitals-api` (default: `data-api` with its last `/event` replaced by `/vitals`, or the
 * script's origin + /api/vitals). Metrics the browser did not produce are left out. Honours the
 * same opt-out and localhost rules as the base script.
 */

export {};

interface Vitals {
  domain: string;
  url: string;
  lcp?: number;
  inp?: number;
  cls?: number;
  fcp?: number;
  ttfb?: number;
}

/** Event Timing entries carry an interactionId (0 for events that are not part of an interaction). */
type EventTimingEntry = PerformanceEntry & { interactionId?: number };
type LayoutShiftEntry = PerformanceEntry & { value: number; hadRecentInput: boolean };

const vitalsScript = document.currentScript as HTMLScriptElement | null;

function vitalsAttribute(name: string): string | null {
  return vitalsScript && vitalsScript.getAttribute('data-' + name);
}

const vitalsDomain = vitalsAttribute('domain');
const eventApi = vitalsAttribute('api');
const vitalsApi =
  vitalsAttribute('vitals-api') ||
  (eventApi
    ? eventApi.replace(/\/event$/, '/vitals')
    : new URL('/api/vitals', (vitalsScript && vitalsScript.src) || location.href).href);
// The URL of the page load the values belong to (a single-page app may navigate before hide).
const loadUrl = location.href.split('#')[0]!;

function optedOut(): boolean {
  try {
    if (localStorage.getItem('sightline_ignore') === 'true') return true;
  } catch {
    // Storage can throw (sandboxed iframes): not opted out.
  }
  return (
    !vitalsDomain ||
    (vitalsAttribute('allow-localhost') === null &&
      (/^(localhost|127(\.\d+){3}|\[::1\])$/.test(location.hostname) || location.protocol === 'file:'))
  );
}

let lcp: number | undefined;
let fcp: number | undefined;
let cls = 0;
let windowValue = 0;
let windowStart = 0;
let windowLast = 0;
/** Longest duration per interaction id. */
const interactions: Record<number, number> = {};

const flushes: (() => void)[] = [];

/** Observes one entry type, buffered; false when the browser does not support it. */
function observe(
  type: string,
  onEntry: (entry: PerformanceEntry) => void,
  init: PerformanceObserverInit & { durationThreshold?: number } = {},
): boolean {
  try {
    init.type = type;
    init.buffered = true;
    const observer = new PerformanceObserver((list) => list.getEntries().forEach(onEntry));
    observer.observe(init);
    // Entries are delivered asynchronously: at page hide, the last ones are taken by hand.
    flushes.push(() => observer.takeRecords().forEach(onEntry));
    return true;
  } catch {
    return false; // the metric stays unmeasured
  }
}

observe('largest-contentful-paint', (entry) => (lcp = entry.startTime));
observe('paint', (entry) => {
  if (entry.name === 'first-contentful-paint') fcp = entry.startTime;
});
// A page without shifts has CLS 0 where the browser supports the API, and none where it does not.
const clsMeasured = observe('layout-shift', (entry) => {
  const shift = entry as LayoutShiftEntry;
  if (shift.hadRecentInput) return;
  if (windowValue && (shift.startTime - windowLast > 1000 || shift.startTime - windowStart > 5000)) {
    windowValue = 0;
  }
  if (!windowValue) windowStart = shift.startTime;
  windowValue += shift.value;
  windowLast = shift.startTime;
  if (windowValue > cls) cls = windowValue;
});
const onInteraction = (entry: PerformanceEntry) => {
  const id = (entry as EventTimingEntry).interactionId;
  if (id) interactions[id] = Math.max(interactions[id] || 0, entry.duration);
};
observe('event', onInteraction, { durationThreshold: 16 });
observe('first-input', onInteraction);

function inp(): number | undefined {
  const durations = Object.keys(interactions)
    .map((id) => interactions[Number(id)]!)
    .sort((a, b) => b - a);
  // One outlier per 50 interactions is ignored, as the INP definition does.
  return durations.length
    ? durations[Math.min(durations.length - 1, Math.floor(durations.length / 50))]
    : undefined;
}

function ttfb(): number | undefined {
  const navigation =
    performance.getEntriesByType &&
    (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined);
  return navigation && navigation.responseStart > 0 ? navigation.responseStart : undefined;
}

let sent = false;

function send(): void {
  if (sent || optedOut()) return;
  sent = true;
  flushes.forEach((flush) => flush());
  const round = (value: number | undefined) => (value === undefined ? value : Math.max(0, Math.round(value)));
  const payload: Vitals = {
    domain: vitalsDomain!,
    url: loadUrl,
    lcp: round(lcp),
    inp: round(inp()),
    cls: clsMeasured ? Math.round(cls * 10000) / 10000 : undefined,
    fcp: round(fcp),
    ttfb: round(ttfb()),
  };
  const body = JSON.stringify(payload);
  if (navigator.sendBeacon && navigator.sendBeacon(vitalsApi, body)) return;
  fetch(vitalsApi, {
    method: 'POST',
    body,
    keepalive: true,
    headers: { 'Content-Type': 'text/plain' },
  }).catch(() => undefined);
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') send();
});
addEventListener('pagehide', send);
