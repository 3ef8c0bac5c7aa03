import type { Response } from 'express';
import { SESSION_COOKIE } from '@sightline/api-contract';
import type { ApiConfig } from '@sightline/config';

/** httpOnly, SameSite=Lax, Secure when served over HTTPS; lives as long as the session can. */
export function setSessionCookie(res: Response, config: ApiConfig, token: string): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    secure: config.sessionCookieSecure,
    sameSite: 'lax',
    path: '/',
    maxAge: config.SESSION_ABSOLUTE_DAYS * 86_400_000,
  });
}

export function clearSessionCookie(res: Response, config: ApiConfig): void {
  res.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    secure: config.sessionCookieSecure,
    sameSite: 'lax',
    path: '/',
  });
}
