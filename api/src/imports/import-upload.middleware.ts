import type express from 'express';
import { IMPORT_MAX_UPLOAD_BYTES, SESSION_COOKIE } from '@sightline/api-contract';

const UPLOAD_PATH = /^\/api\/sites\/[^/]+\/imports\/?$/;

function tooLarge(req: express.Request, res: express.Response): void {
  // The rest of the body is never read: answer, then close the connection.
  req.unpipe();
  req.pause();
  res.setHeader('Connection', 'close');
  res.status(413).json({
    error: {
      code: 'payload_too_large',
      message: `The upload is larger than ${IMPORT_MAX_UPLOAD_BYTES / 1024 / 1024} MB; export a shorter period`,
    },
  });
}

/**
 * The import upload route reads its body raw into a Buffer, up to IMPORT_MAX_UPLOAD_BYTES: a
 * larger declared Content-Length is refused with 413 before a byte is read, a larger chunked
 * body as soon as it passes the limit (body-parser would drain the whole body first). A request
 * without a session cookie is refused before reading anything.
 */
export function importUploadMiddleware(
  req: express.Request,
  res: express.Response,
  next: express.NextFunction,
): void {
  if (req.method !== 'POST' || !UPLOAD_PATH.test(req.path)) return next();
  if (!(req.headers.cookie ?? '').includes(SESSION_COOKIE)) {
    res.setHeader('Connection', 'close');
    res.status(401).json({ error: { code: 'unauthenticated', message: 'Sign in to continue' } });
    return;
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > IMPORT_MAX_UPLOAD_BYTES) return tooLarge(req, res);
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  const onData = (chunk: Buffer): void => {
    if (done) return;
    size += chunk.length;
    if (size > IMPORT_MAX_UPLOAD_BYTES) {
      done = true;
      req.off('data', onData);
      tooLarge(req, res);
      return;
    }
    chunks.push(chunk);
  };
  req.on('data', onData);
  req.once('end', () => {
    if (done) return;
    done = true;
    (req as { body?: unknown }).body = Buffer.concat(chunks, size);
    // express.json further on must leave this body alone.
    (req as { _body?: boolean })._body = true;
    next();
  });
  req.once('error', (err) => {
    if (done) return;
    done = true;
    next(err);
  });
}
