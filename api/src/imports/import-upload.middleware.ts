import express from 'express';
import { IMPORT_MAX_UPLOAD_BYTES, SESSION_COOKIE } from '@sightline/api-contract';

const UPLOAD_PATH = /^\/api\/sites\/[^/]+\/imports\/?$/;
const rawBody = express.raw({ type: () => true, limit: IMPORT_MAX_UPLOAD_BYTES });

/**
 * The import upload route reads its body raw, up to IMPORT_MAX_UPLOAD_BYTES: a larger declared
 * Content-Length is refused with 413 before a byte is read, a larger chunked body as soon as it
 * passes the limit. A request without a session cookie is refused before reading anything.
 */
export function importUploadMiddleware(
  req: express.Request,
  res: express.Response,
  next: express.NextFunction,
): void {
  if (req.method !== 'POST' || !UPLOAD_PATH.test(req.path)) return next();
  if (!(req.headers.cookie ?? '').includes(SESSION_COOKIE)) {
    res.status(401).json({ error: { code: 'unauthenticated', message: 'Sign in to continue' } });
    return;
  }
  rawBody(req, res, (err?: unknown) => {
    if ((err as { type?: string } | undefined)?.type === 'entity.too.large') {
      res.setHeader('Connection', 'close');
      res.status(413).json({
        error: {
          code: 'payload_too_large',
          message: `The upload is larger than ${IMPORT_MAX_UPLOAD_BYTES / 1024 / 1024} MB; export a shorter period`,
        },
      });
      return;
    }
    next(err);
  });
}
