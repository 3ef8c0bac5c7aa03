/** Stand-in origin to resolve against; any path that stays on it stays on the dashboard's origin. */
const BASE = 'https://dashboard.invalid';

/**
 * Only same-origin paths are allowed as post-login destinations (no open redirects). The check
 * resolves the value the way the browser will: the URL parser drops tab, CR and LF and reads `\`
 * as `/`, so `/\t/evil.example` is really `//evil.example`. Such characters are refused outright,
 * the rest is resolved against an origin and must stay on it, and the normalised path is returned
 * (so `/a/../..//evil.example` cannot turn into a protocol-relative `//evil.example`).
 */
export function safeNext(raw: string | null | undefined, fallback = '/sites'): string {
  // eslint-disable-next-line no-control-regex
  if (!raw || !raw.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(raw)) return fallback;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE || url.pathname.startsWith('//')) return fallback;
  return url.pathname + url.search + url.hash;
}

export const PUBLIC_PATH_PREFIXES = [
  '/login',
  '/signup',
  '/verify-email',
  '/reset-password',
  '/invitations',
  '/share',
];

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATH_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}
