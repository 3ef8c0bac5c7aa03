import { createHash, createHmac } from 'node:crypto';

/**
 * A shared dashboard link's token: an HMAC of the link's id under the signing key, so the
 * owner's list can show the link again while the database holds only its SHA-256
 * (`sharedLinkTokenHash`). Rotating SIGNING_SECRET retires every shared link.
 */
export function sharedLinkToken(signingKey: string, linkId: string): string {
  return createHmac('sha256', signingKey).update(`shared-link:${linkId}`).digest('base64url');
}

export function sharedLinkTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
