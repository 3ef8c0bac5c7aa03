import UAParser from 'ua-parser-js';

export type DeviceType = 'Desktop' | 'Mobile' | 'Tablet' | '';

export interface ParsedUserAgent {
  readonly browser: string;
  readonly browserVersion: string;
  readonly os: string;
  readonly osVersion: string;
  readonly device: DeviceType;
}

/** Real browser UAs are ~100–300 chars; anything past this is padding or an attack on the parser. */
export const MAX_USER_AGENT_LENGTH = 512;
/** Distinct UAs in live traffic are a long tail over a few thousand heads; 10k covers the heads. */
export const USER_AGENT_CACHE_SIZE = 10_000;

/** ua-parser-js v1 names → the names Plausible's dashboard shows (names not listed pass through). */
const BROWSER_NAMES: Readonly<Record<string, string>> = {
  'Mobile Safari': 'Safari',
  'Chrome Headless': 'Headless Chrome',
  IE: 'Internet Explorer',
  Yandex: 'Yandex Browser',
  UCBrowser: 'UC Browser',
  QQBrowser: 'QQ Browser',
  'Opera Mini': 'Opera',
  'Opera Mobi': 'Opera',
  'Opera Tablet': 'Opera',
  'Opera Touch': 'Opera',
  'Opera Coast': 'Opera',
  'Opera GX': 'Opera',
};

/**
 * WebViews and in-app browsers are grouped as 'Mobile App' like Plausible does: their "version" is
 * the host app's build number, which means nothing next to browser versions.
 */
const MOBILE_APP_BROWSERS: ReadonlySet<string> = new Set([
  'Chrome WebView',
  'Facebook',
  'Instagram',
  'Snapchat',
  'TikTok',
  'Twitter',
  'LinkedIn',
  'Line',
  'KAKAOTALK',
  'KakaoTalk',
  'KakaoStory',
  'Naver',
  'WeChat',
  'Weibo',
  'Alipay',
  'Klarna',
  'GSA',
  'DaumApps',
]);

const OS_NAMES: Readonly<Record<string, string>> = {
  'Mac OS': 'Mac',
  'Chromium OS': 'Chrome OS',
  'Android-x86': 'Android',
  'Windows Mobile': 'Windows Phone',
  'Windows Phone OS': 'Windows Phone',
};

/** Desktop Linux distributions are one bucket, as in Plausible; their versions are not comparable. */
const LINUX_FAMILY: ReadonlySet<string> = new Set(
  [
    'Linux',
    'GNU',
    'Ubuntu',
    'Kubuntu',
    'Xubuntu',
    'Lubuntu',
    'Debian',
    'Fedora',
    'Arch',
    'Mint',
    'CentOS',
    'RedHat',
    'Red Hat',
    'SUSE',
    'openSUSE',
    'Gentoo',
    'Slackware',
    'Mageia',
    'Mandriva',
    'PCLinuxOS',
    'Raspbian',
    'Deepin',
    'Manjaro',
    'elementary OS',
    'Sabayon',
    'Linspire',
    'Zenwalk',
    'Linpus',
    'VectorLinux',
  ].map((name) => name.toLowerCase()),
);

const EMPTY: ParsedUserAgent = Object.freeze({
  browser: '',
  browserVersion: '',
  os: '',
  osVersion: '',
  device: '',
});

// One reusable parser: setUA + the three getters skip the engine/CPU work getResult() would do.
const parser = new UAParser();
// Map keeps insertion order, so the first key is the least recently used one.
const cache = new Map<string, ParsedUserAgent>();

/**
 * Browser, OS and device class of a User-Agent header, normalised for the dashboard.
 * Results are shared frozen objects from an LRU cache: parsing is the ingest hot path and the same
 * few thousand UA strings repeat endlessly.
 */
export function parseUserAgent(ua: string): ParsedUserAgent {
  const key = typeof ua === 'string' ? ua.slice(0, MAX_USER_AGENT_LENGTH).trim() : '';
  if (key === '') return EMPTY;

  const hit = cache.get(key);
  if (hit !== undefined) {
    // Re-insert to mark it most recently used.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }

  const parsed = Object.freeze(parseUncached(key));
  cache.set(key, parsed);
  if (cache.size > USER_AGENT_CACHE_SIZE) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  return parsed;
}

/** Empties the cache; for tests and benchmarks that need cold-parse behaviour. */
export function clearUserAgentCache(): void {
  cache.clear();
}

/** Current number of cached UAs (lets tests prove the bound holds). */
export function userAgentCacheSize(): number {
  return cache.size;
}

function parseUncached(ua: string): ParsedUserAgent {
  parser.setUA(ua);
  const rawBrowser = parser.getBrowser();
  const rawOs = parser.getOS();
  const rawDevice = parser.getDevice();

  const os = normaliseOs(rawOs.name ?? '');
  const isMobileApp = MOBILE_APP_BROWSERS.has(rawBrowser.name ?? '');
  const browser = isMobileApp ? 'Mobile App' : normaliseBrowser(rawBrowser.name ?? '');
  return {
    browser,
    browserVersion: browser === '' || isMobileApp ? '' : majorMinor(rawBrowser.version ?? ''),
    os,
    osVersion: os === '' || os === 'GNU/Linux' ? '' : majorMinor(rawOs.version ?? ''),
    device: deviceClass(rawDevice.type, os, ua),
  };
}

function normaliseBrowser(name: string): string {
  return BROWSER_NAMES[name] ?? name;
}

function normaliseOs(name: string): string {
  if (LINUX_FAMILY.has(name.toLowerCase())) return 'GNU/Linux';
  return OS_NAMES[name] ?? name;
}

/** '124.0.6367.60' → '124.0' (Plausible's granularity; patch levels only fragment the report). */
function majorMinor(version: string): string {
  const parts = version.split('.');
  return parts.length <= 2 ? version : `${parts[0]}.${parts[1]}`;
}

function deviceClass(type: string | undefined, os: string, ua: string): DeviceType {
  if (type === 'mobile' || type === 'wearable') return 'Mobile';
  if (type === 'tablet') return 'Tablet';
  if (type === undefined) {
    // Unknown vendors: Android tablets omit the "Mobile" token (Google's UA convention; Opera Mini
    // never sends it but runs on phones), and anything else on iOS is an iPhone/iPod app or WebView.
    if (os === 'Android') return /\bmobile\b|opera mini/i.test(ua) ? 'Mobile' : 'Tablet';
    if (os === 'iOS') return 'Mobile';
  }
  // Consoles, TVs and plain computers; an unknown OS means we cannot tell at all (curl, scripts).
  return os === '' ? '' : 'Desktop';
}
