import { NextResponse, type NextRequest } from 'next/server';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from '@sightline/api-contract';
import { contentSecurityPolicy, newNonce } from './lib/content-security-policy';
import { publicConfig } from './lib/config';

/** Pages only a signed-in user sees. */
const SIGNED_IN_PATHS = /^\/($|sites(\/|$)|orgs(\/|$)|account(\/|$))/;

/**
 * Every page: a Content-Security-Policy with a fresh nonce, on the response and on the request (Next
 * reads the nonce from the request's policy header and puts it on its scripts; pages are therefore
 * rendered per request, see app/layout.tsx).
 *
 * Signed-in pages without a session cookie go straight to /login (no flash of an empty app shell).
 * Only presence is checked here; the API validates the session and a stale cookie still ends in a 401
 * that the client turns into the same redirect.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const signedIn = request.cookies.has(SECURE_SESSION_COOKIE) || request.cookies.has(SESSION_COOKIE);
  if (!signedIn && SIGNED_IN_PATHS.test(pathname)) {
    const login = new URL('/login', request.url);
    if (pathname !== '/') login.searchParams.set('next', pathname + search);
    return NextResponse.redirect(login);
  }
  const policy = contentSecurityPolicy(newNonce(), publicConfig.realtimeOrigin);
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  // Pages, not the API (rewritten to it), static assets or the flags' SVGs.
  matcher: ['/((?!api/|_next/static|_next/image|flags/|favicon\\.ico|icon\\.svg).*)'],
};
