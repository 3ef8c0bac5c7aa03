/** A client error with a stable code; the receiver's error handler renders `{ error: { code, message } }`. */
export class IngestError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Sent as Retry-After (429 and 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
