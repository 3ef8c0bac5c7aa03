import { describe, it, expect, beforeEach } from 'vitest';
import fc from 'fast-check';
import {
  clearUserAgentCache,
  MAX_USER_AGENT_LENGTH,
  parseUserAgent,
  USER_AGENT_CACHE_SIZE,
  userAgentCacheSize,
} from './user-agent';
import { USER_AGENTS as UA } from './user-agent.fixtures';

describe('parseUserAgent', () => {
  beforeEach(() => clearUserAgentCache());

  it.each([
    ['Chrome on Windows', UA.chromeWindows, ['Chrome', '124.0', 'Windows', '10', 'Desktop']],
    ['Chrome on macOS', UA.chromeMac, ['Chrome', '124.0', 'Mac', '10.15', 'Desktop']],
    ['Chrome on Android', UA.chromeAndroid, ['Chrome', '124.0', 'Android', '14', 'Mobile']],
    ['Chrome on iPhone (CriOS)', UA.chromeIphone, ['Chrome', '124.0', 'iOS', '17.4', 'Mobile']],
    ['Chrome on Chromebook', UA.chromeOs, ['Chrome', '124.0', 'Chrome OS', '14541.0', 'Desktop']],
    ['Chrome on Android tablet', UA.chromeAndroidTablet, ['Chrome', '124.0', 'Android', '13', 'Tablet']],
    ['Safari on iPhone', UA.safariIphone, ['Safari', '17.4', 'iOS', '17.4', 'Mobile']],
    ['Safari on iPad', UA.safariIpad, ['Safari', '16.6', 'iOS', '16.6', 'Tablet']],
    ['Safari on macOS', UA.safariMac, ['Safari', '17.4', 'Mac', '10.15', 'Desktop']],
    ['Samsung Internet', UA.samsungInternet, ['Samsung Internet', '24.0', 'Android', '14', 'Mobile']],
    ['Firefox on Linux', UA.firefoxLinux, ['Firefox', '125.0', 'GNU/Linux', '', 'Desktop']],
    ['Firefox on Ubuntu', UA.firefoxUbuntu, ['Firefox', '124.0', 'GNU/Linux', '', 'Desktop']],
    ['Firefox on Android', UA.firefoxAndroid, ['Firefox', '125.0', 'Android', '14', 'Mobile']],
    ['Edge on Windows', UA.edgeWindows, ['Edge', '124.0', 'Windows', '10', 'Desktop']],
    ['Opera on Windows', UA.operaWindows, ['Opera', '109.0', 'Windows', '10', 'Desktop']],
    ['Opera Mini on Android', UA.operaMini, ['Opera', '36.2', 'Android', '', 'Mobile']],
    ['Internet Explorer 11', UA.ie11, ['Internet Explorer', '11.0', 'Windows', '10', 'Desktop']],
    ['Facebook in-app browser', UA.facebookInAppIos, ['Mobile App', '', 'iOS', '17.4', 'Mobile']],
    ['Android WebView', UA.androidWebView, ['Mobile App', '', 'Android', '12', 'Mobile']],
    ['HeadlessChrome', UA.headlessChrome, ['Headless Chrome', '124.0', 'GNU/Linux', '', 'Desktop']],
  ])('%s', (_name, ua, [browser, browserVersion, os, osVersion, device]) => {
    expect(parseUserAgent(ua)).toEqual({ browser, browserVersion, os, osVersion, device });
  });

  it('leaves every field empty for UAs without a recognisable browser or OS', () => {
    const empty = { browser: '', browserVersion: '', os: '', osVersion: '', device: '' };
    expect(parseUserAgent('')).toEqual(empty);
    expect(parseUserAgent('   ')).toEqual(empty);
    expect(parseUserAgent(UA.curl)).toEqual(empty);
    expect(parseUserAgent(UA.googlebot)).toEqual(empty);
  });

  it('returns the cached result for a repeated UA', () => {
    const first = parseUserAgent(UA.chromeWindows);
    expect(parseUserAgent(UA.chromeWindows)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('keeps the cache bounded, evicting the least recently used UA', () => {
    const evictee = parseUserAgent(`${UA.chromeWindows} evictee`);
    const keep = parseUserAgent(UA.safariMac);
    for (let i = 0; i < USER_AGENT_CACHE_SIZE; i++) {
      parseUserAgent(`${UA.chromeWindows} build/${i}`);
      // Touching the entry keeps it recently used, so it must survive the evictions.
      if (i % 1000 === 0) parseUserAgent(UA.safariMac);
    }
    expect(userAgentCacheSize()).toBe(USER_AGENT_CACHE_SIZE);
    expect(parseUserAgent(UA.safariMac)).toBe(keep);
    const reparsed = parseUserAgent(`${UA.chromeWindows} evictee`);
    expect(reparsed).not.toBe(evictee);
    expect(reparsed).toEqual(evictee);
  });

  it('only considers the first 512 characters, so padding cannot defeat the cache', () => {
    const padded = UA.chromeWindows + ' '.repeat(10) + 'x'.repeat(5000);
    const a = parseUserAgent(padded);
    const b = parseUserAgent(padded.slice(0, MAX_USER_AGENT_LENGTH) + 'different tail');
    expect(b).toBe(a);
    expect(a.browser).toBe('Chrome');
  });

  it('never throws and always returns a known device class', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), (ua) => {
        const parsed = parseUserAgent(ua);
        expect(['Desktop', 'Mobile', 'Tablet', '']).toContain(parsed.device);
      }),
      { numRuns: 500 },
    );
  });
});
