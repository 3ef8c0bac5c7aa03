/**
 * A rule the request broke, with a stable code for clients. Services throw these; the global
 * filter turns them into `{ error: { code, message, field? } }` with `status`.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'You do not have access to this resource') =>
  new DomainError(403, 'forbidden', message);
export const unauthenticated = (message = 'Sign in to continue') =>
  new DomainError(401, 'unauthenticated', message);
export const invalid = (field: string, message: string) =>
  new DomainError(400, 'invalid_request', `${field}: ${message}`, field);
export const conflict = (code: string, message: string, field?: string) =>
  new DomainError(409, code, message, field);
export const tooManyRequests = (retryAfterSeconds: number) =>
  Object.assign(new DomainError(429, 'rate_limited', 'Too many requests; try again later'), {
    retryAfterSeconds,
  });
