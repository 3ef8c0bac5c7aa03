/** A client error with a stable code; the receiver's error handler renders `{ error: { code, message } }`. */
export class IngestError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
