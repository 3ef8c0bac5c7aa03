import type { FastifyInstance } from 'fastify';
import { vitalsBodySchema, type IncomingVitals } from './vitals-body.schema';
import type { VitalsIntakeService } from './vitals-intake.service';

/**
 * `POST /api/vitals` (public, like /api/event: browsers of every tracked site call it); the tracker
 * with the vitals extension is one of the receiver's script variants. Errors go through the
 * receiver's error handler, so they have the same `{ error: { code, message } }` shape.
 */
export function registerVitalsRoutes(app: FastifyInstance, deps: { vitals: VitalsIntakeService }): void {
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
}
