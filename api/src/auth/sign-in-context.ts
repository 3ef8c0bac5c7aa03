import type { CountryLookup, ParsedUserAgent } from '@sightline/enrich';
import { parseUserAgent } from '@sightline/enrich';
import type { SignInContext } from './session.service';

/** Country and "Chrome on macOS" for a sign-in; the IP and raw user agent are not kept. */
export function describeSignIn(countries: CountryLookup, ip: string, userAgent: string): SignInContext {
  return { country: countries.lookup(ip) || null, device: describeDevice(parseUserAgent(userAgent)) };
}

function describeDevice(ua: ParsedUserAgent): string | null {
  if (!ua.browser && !ua.os) return null;
  if (!ua.os) return ua.browser;
  if (!ua.browser) return ua.os;
  return `${ua.browser} on ${ua.os}`;
}
