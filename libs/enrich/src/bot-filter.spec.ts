import { describe, it, expect } from 'vitest';
import { isBotUserAgent } from './bot-filter';
import { USER_AGENTS as UA } from './user-agent.fixtures';

describe('isBotUserAgent', () => {
  it.each([
    ['Googlebot', UA.googlebot],
    ['Googlebot smartphone (a full Chrome UA plus the bot token)', UA.googlebotSmartphone],
    ['bingbot', UA.bingbot],
    ['curl', UA.curl],
    ['python-requests', UA.pythonRequests],
    ['HeadlessChrome (Puppeteer/Playwright default)', UA.headlessChrome],
  ])('flags %s', (_name, ua) => {
    expect(isBotUserAgent(ua)).toBe(true);
  });

  it.each([
    ['Chrome/Windows', UA.chromeWindows],
    ['Safari/iPhone', UA.safariIphone],
    ['Safari/iPad', UA.safariIpad],
    ['Samsung Internet', UA.samsungInternet],
    ['Firefox/Linux', UA.firefoxLinux],
    ['Edge', UA.edgeWindows],
    ['Opera Mini', UA.operaMini],
    ['Facebook in-app browser', UA.facebookInAppIos],
  ])('lets %s through', (_name, ua) => {
    expect(isBotUserAgent(ua)).toBe(false);
  });

  it('treats a missing, blank or implausibly short UA as a bot', () => {
    expect(isBotUserAgent('')).toBe(true);
    expect(isBotUserAgent('    ')).toBe(true);
    expect(isBotUserAgent('Mozilla/5.0')).toBe(true);
    expect(isBotUserAgent('Mozilla/5.0 (X11)')).toBe(true);
    expect(isBotUserAgent(undefined as unknown as string)).toBe(true);
  });

  it('judges an absurdly long UA by its start', () => {
    expect(isBotUserAgent(UA.chromeWindows + ' x'.repeat(50_000))).toBe(false);
    expect(isBotUserAgent(UA.googlebot + ' x'.repeat(50_000))).toBe(true);
  });
});
