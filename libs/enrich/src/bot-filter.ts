import { isbot } from 'isbot';

/** No real browser sends a UA this short ("Mozilla/5.0 (X11)" is 17); scripts and probes do. */
export const MIN_BROWSER_USER_AGENT_LENGTH = 20;
/** isbot's pattern is one big alternation; bounding the input bounds its cost per event. */
const MAX_CHECKED_LENGTH = 1024;

/**
 * Whether an event with this User-Agent should be dropped as automated traffic: crawlers, HTTP
 * libraries, headless browsers (Chromium's "HeadlessChrome" is deliberately a bot) and anything
 * with a missing or implausibly short UA.
 */
export function isBotUserAgent(ua: string): boolean {
  if (typeof ua !== 'string') return true;
  const known = verdicts.get(ua);
  if (known !== undefined) return known;
  const trimmed = ua.trim();
  const verdict =
    trimmed.length < MIN_BROWSER_USER_AGENT_LENGTH || isbot(trimmed.slice(0, MAX_CHECKED_LENGTH));
  // The same few thousand UA strings repeat all day; isbot's big pattern is worth running once each.
  if (verdicts.size >= VERDICT_CACHE_SIZE) verdicts.clear();
  verdicts.set(ua, verdict);
  return verdict;
}

const VERDICT_CACHE_SIZE = 10_000;
const verdicts = new Map<string, boolean>();
