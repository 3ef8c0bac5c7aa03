import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256-signed tokens for links in mails that must work without signing in (unsubscribe).
 * `<base64url(JSON payload)>.<base64url(HMAC(secret, purpose + "." + payload))>`; the purpose
 * keeps a token minted for one use from being accepted by another.
 */
export function signToken(secret: string, purpose: string, payload: Record<string, string | number>): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(secret, purpose, body)}`;
}

/** The payload of an untampered token for `purpose`, else null. */
export function verifyToken(secret: string, purpose: string, token: string): Record<string, unknown> | null {
  if (token.length > 2048) return null;
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(secret, purpose, body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function mac(secret: string, purpose: string, body: string): string {
  return createHmac('sha256', secret).update(`${purpose}.${body}`).digest('base64url');
}

export const REPORT_UNSUBSCRIBE_PURPOSE = 'report-unsubscribe';

export interface ReportUnsubscribePayload {
  siteId: number;
  userId: string;
  kind: 'weekly' | 'monthly';
  /** The subscription's token_version when the mail was sent. */
  version: number;
}

export function signUnsubscribeToken(secret: string, p: ReportUnsubscribePayload): string {
  return signToken(secret, REPORT_UNSUBSCRIBE_PURPOSE, { s: p.siteId, u: p.userId, k: p.kind, v: p.version });
}

export function verifyUnsubscribeToken(secret: string, token: string): ReportUnsubscribePayload | null {
  const p = verifyToken(secret, REPORT_UNSUBSCRIBE_PURPOSE, token);
  if (!p) return null;
  const { s, u, k, v } = p;
  if (typeof s !== 'number' || !Number.isSafeInteger(s) || typeof u !== 'string' || typeof v !== 'number')
    return null;
  if (k !== 'weekly' && k !== 'monthly') return null;
  return { siteId: s, userId: u, kind: k, version: v };
}
