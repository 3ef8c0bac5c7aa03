import { STATUS_CODES } from 'node:http';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { EVENT_LIMITS, type IncomingEvent } from '@sightline/events';
import { reportError, type Logger, type Readiness } from '@sightline/observability';
import { normalizeEventBody } from '../intake/event-body.normalizer';
import { eventBodySchema } from '../intake/event-body.schema';
import type { EventIntakeService } from '../intake/event-intake.service';
import { IngestError } from '../intake/ingest-error';
import type { ReceiverMetrics } from './receiver.metrics';
import { trackerFileNames, type TrackerScript, type TrackerVariant } from './tracker-script';
import { registerVitalsRoutes } from '../vitals/vitals.routes';
import type { VitalsIntakeService } from '../vitals/vitals-intake.service';

export interface ReceiverDeps {
  intake: EventIntakeService;
  script: TrackerScript;
  /**
   * The opt-in builds (script.engagement.js, script.vitals.js, script.engagement.vitals.js), each
   * served under every name of its extensions (`trackerFileNames`); absent ones are not served.
   */
  variants?: Partial<Record<Exclude<TrackerVariant, 'base'>, TrackerScript>>;
  metrics: ReceiverMetrics;
  readiness: Readiness;
  logger: Logger;
  trustedProxyHops: number;
  /** Web vitals: `POST /api/vitals` (absent in tests that do not need them). */
  vitals?: { vitals: VitalsIntakeService };
}

const SCRIPT_CACHE_CONTROL = 'public, max-age=3600, s-maxage=86400, stale-while-revalidate=604800';
const RETRY_AFTER_SECONDS = '5';
/** Pre-serialised: the hot path should not run a serializer for a constant. */
const ACCEPTED_BODY = '{"status":"accepted"}';

/**
 * The public HTTP surface of ingest. Everything here is public by design (browsers of every
 * tracked site call it); metrics live on the internal port.
 */
export function buildReceiverApp(deps: ReceiverDeps): FastifyInstance {
  const app = Fastify({
    logger: false, // request logs would carry IPs; errors are logged below without payloads
    bodyLimit: EVENT_LIMITS.maxBodyBytes,
    // Trust exactly the configured number of proxy hops when reading X-Forwarded-For.
    trustProxy: (_address: string, hop: number) => hop < deps.trustedProxyHops,
    ajv: {
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false, allowUnionTypes: true },
    },
    return503OnClosing: true,
    // Requests Node's HTTP parser rejects (headers over 16 KB, garbage) never reach Fastify's
    // handlers; answer them in the documented shape too.
    clientErrorHandler: (err: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return socket.destroy();
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const code = status === 431 ? 'headers_too_large' : 'bad_request';
      const body = JSON.stringify({
        error: { code, message: status === 431 ? 'Request headers too large' : 'Malformed HTTP request' },
      });
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
    // Errors the router raises before any handler runs (e.g. a malformed %-escape in the path)
    // get the same documented error shape as everything else.
    frameworkErrors: (error, _request, reply) => {
      void (reply as FastifyReply).code(400).send({ error: { code: 'bad_url', message: error.message } });
    },
  });

  // sendBeacon posts text/plain (no CORS preflight); its body is the same JSON.
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  app.setErrorHandler((error: FastifyError | IngestError, request, reply) => {
    const isEvent = request.url.startsWith('/api/event');
    if (error instanceof IngestError || (error.statusCode !== undefined && error.statusCode < 500)) {
      const status = error.statusCode ?? 400;
      const code = error instanceof IngestError ? error.code : clientErrorCode(error as FastifyError);
      if (isEvent) deps.metrics.rejected.inc({ code });
      if (error instanceof IngestError && error.retryAfterSeconds)
        reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.code(status).send({ error: { code, message: error.message } });
    }
    // The event was not stored: say so and let the client retry. Never echo internals.
    deps.logger.error(
      { err: { message: error.message, code: (error as FastifyError).code } },
      'request failed',
    );
    reportError(error);
    if (isEvent) deps.metrics.unavailable.inc();
    return reply
      .code(503)
      .header('retry-after', RETRY_AFTER_SECONDS)
      .send({ error: { code: 'unavailable', message: 'Event buffer unavailable, retry later' } });
  });

  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send({ error: { code: 'not_found', message: 'Not found' } }),
  );

  app.options('/api/event', (_request, reply) =>
    reply
      .code(204)
      .header('access-control-allow-origin', '*')
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'content-type')
      .header('access-control-max-age', '86400')
      .send(),
  );

  app.post<{ Body: IncomingEvent }>(
    '/api/event',
    {
      schema: { body: eventBodySchema },
      // Plausible's trackers send one-letter keys and `p` as a JSON string: long keys before the schema.
      preValidation: async (request) => {
        request.body = normalizeEventBody(request.body) as IncomingEvent;
      },
    },
    async (request, reply) => {
      deps.metrics.received.inc();
      reply.header('access-control-allow-origin', '*');
      const userAgent = request.headers['user-agent'] ?? '';
      await deps.intake.accept(request.body, { ip: request.ip, userAgent });
      return reply.code(202).header('content-type', 'application/json').send(ACCEPTED_BODY);
    },
  );

  const serveScript = (script: TrackerScript) => (request: FastifyRequest, reply: FastifyReply) => {
    reply
      .header('content-type', 'application/javascript; charset=utf-8')
      .header('cache-control', SCRIPT_CACHE_CONTROL)
      .header('etag', script.etag)
      .header('vary', 'Accept-Encoding')
      .header('access-control-allow-origin', '*');
    if (request.headers['if-none-match'] === script.etag) return reply.code(304).send();
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
      return reply.header('content-encoding', 'gzip').send(script.gzipped);
    }
    return reply.send(script.code);
  };
  app.get('/js/script.js', serveScript(deps.script));
  for (const [variant, script] of Object.entries(deps.variants ?? {}) as [TrackerVariant, TrackerScript][])
    for (const name of trackerFileNames(variant)) app.get(`/js/${name}`, serveScript(script));

  if (deps.vitals) registerVitalsRoutes(app, deps.vitals);

  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const reason = await deps.readiness.notReadyReason();
    if (reason === null) return { status: 'ready' };
    return reply.code(503).send({ status: 'not_ready', reason });
  });

  return app;
}

function clientErrorCode(error: FastifyError): string {
  if (error.validation) return 'invalid_body';
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'body_too_large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported_media_type';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'malformed_json';
    default:
      return error.statusCode === 400 && error instanceof SyntaxError ? 'malformed_json' : 'bad_request';
  }
}
