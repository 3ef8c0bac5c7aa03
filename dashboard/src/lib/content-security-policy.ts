/**
 * The dashboard's Content-Security-Policy, built per request with a fresh nonce (dashboard/src/proxy.ts).
 * Scripts: only those carrying the nonce (Next puts it on its own bootstrap and chunk scripts when it
 * finds it in the request's policy header) and what they load ('strict-dynamic'); no 'unsafe-inline'.
 * Styles keep 'unsafe-inline': recharts and React set inline style attributes, which nonces cannot cover.
 */
export function contentSecurityPolicy(nonce: string, realtimeOrigin = ''): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ws: wss:${realtimeOrigin ? ` ${realtimeOrigin}` : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** 128 random bits, base64: unguessable and new for every page view. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
