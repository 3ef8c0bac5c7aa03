import { NextResponse, type NextRequest } from 'next/server';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from '@sightline/api-contract';

/**
 * Signed-in pages without a session cookie go straight to /login (no flash of an empty app shell).
 * Only presence is checked here; the API validates the session and a stale cookie still ends in a 401
 * that the client turns into the same redirect.
 */
export function proxy(request: NextRequest) {
  if (request.cookies.has(SECURE_SESSION_COOKIE) || request.cookies.has(SESSION_COOKIE))
    return NextResponse.next();
  const { pathname, search } = request.nextUrl;
  const login = new URL('/login', request.url);
  if (pathname !== '/') login.searchParams.set('next', pathname + search);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ['/', '/sites/:path*', '/orgs/:path*', '/account/:path*'],
};
