/** Only same-site paths are allowed as post-login destinations (no open redirects). */
export function safeNext(raw: string | null | undefined, fallback = '/sites'): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return fallback;
  return raw;
}

export const PUBLIC_PATH_PREFIXES = ['/login', '/signup', '/verify-email', '/reset-password', '/invitations'];

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATH_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}
