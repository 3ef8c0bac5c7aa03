import type { Response } from 'express';
import type { ApiConfig } from '@sightline/config';

/**
 * httpOnly, SameSite=Lax, Secure when served over HTTPS (then named `__Host-sl_session`: host-only,
 * Path=/); lives as long as the session can.
 */
export function setSessionCookie(res: Response, config: ApiConfig, token: string): void {
  res.cookie(config.sessionCookieName, token, {
    httpOnly: true,
    secure: config.sessionCookieSecure,
    sameSite: 'lax',
    path: '/',
    maxAge: config.SESSION_ABSOLUTE_DAYS * 86_400_000,
  });
}

export function clearSessionCookie(res: Response, config: ApiConfig): void {
  res.clearCookie(config.sessionCookieName, {
    httpOnly: true,
    secure: config.sessionCookieSecure,
    sameSite: 'lax',
    path: '/',
  });
}
