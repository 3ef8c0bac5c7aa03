import type { FastifyInstance } from 'fastify';
import { vitalsBodySchema, type IncomingVitals } from './vitals-body.schema';
import type { VitalsIntakeService } from './vitals-intake.service';
import type { TrackerScript } from '../receiver/tracker-script';

const SCRIPT_CACHE_CONTROL = 'public, max-age=3600, s-maxage=86400, stale-while-revalidate=604800';

/**
 * `POST /api/vitals` (public, like /api/event: browsers of every tracked site call it) and
 * `GET /js/script.vitals.js`, the tracker with the vitals extension. Errors go through the
 * receiver's error handler, so they have the same `{ error: { code, message } }` shape.
 */
export function registerVitalsRoutes(
  app: FastifyInstance,
  deps: { vitals: VitalsIntakeService; script: TrackerScript },
): void {
  app.options('/api/vitals', (_request, reply) =>
    reply
      .code(204)
      .header('access-control-allow-origin', '*')
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'content-type')
      .header('access-control-max-age', '86400')
      .send(),
  );

  app.post<{ Body: IncomingVitals }>(
    '/api/vitals',
    { schema: { body: vitalsBodySchema } },
    async (request, reply) => {
      reply.header('access-control-allow-origin', '*');
      await deps.vitals.accept(request.body, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
      });
      return reply.code(202).header('content-type', 'application/json').send('{"status":"accepted"}');
    },
  );

  app.get('/js/script.vitals.js', (request, reply) => {
    const { script } = deps;
    reply
      .header('content-type', 'application/javascript; charset=utf-8')
      .header('cache-control', SCRIPT_CACHE_CONTROL)
      .header('etag', script.etag)
      .header('vary', 'Accept-Encoding')
      .header('access-control-allow-origin', '*');
    if (request.headers['if-none-match'] === script.etag) return reply.code(304).send();
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? ''))
      return reply.header('content-encoding', 'gzip').send(script.gzipped);
    return reply.send(script.code);
  });
}
