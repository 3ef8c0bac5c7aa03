import { createHash, randomBytes } from 'node:crypto';

/** 256-bit random token for links and cookies (URL-safe). */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored for a token: its SHA-256. Tokens are random, so no salt or slow hash is needed. */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
