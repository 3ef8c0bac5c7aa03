import { SetMetadata, applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { z } from 'zod';
import { invalid } from './domain-error';

/**
 * What the auth guard accepts on a route. Routes are private (session) unless they say otherwise.
 * `staff`: a session of a staff user with 2FA on; everyone else gets 404, as for an unknown route.
 */
export type EndpointAccess = 'public' | 'session' | 'session-or-api-key' | 'staff';

export interface EndpointSpec {
  summary: string;
  access?: EndpointAccess;
  body?: z.ZodType;
  /** Name of the response type in @sightline/api-contract or @sightline/query, for the docs. */
  response?: string;
  tag?: string;
}

export const ENDPOINT_KEY = 'sightline:endpoint';

/** Declares a route's access rule, body schema and documentation in one place (read by the guard, ValidBody and OpenAPI). */
export function Endpoint(spec: EndpointSpec): MethodDecorator {
  return applyDecorators(SetMetadata(ENDPOINT_KEY, { access: 'session', ...spec }));
}

export function endpointOf(handler: object): EndpointSpec | undefined {
  return Reflect.getMetadata(ENDPOINT_KEY, handler) as EndpointSpec | undefined;
}

/** The request body parsed with the schema the route declared in @Endpoint; errors name the field. */
export const ValidBody = createParamDecorator((_: unknown, ctx: ExecutionContext): unknown => {
  const schema = endpointOf(ctx.getHandler())?.body;
  if (!schema) throw new Error('ValidBody used on a route without a body schema');
  const body: unknown = ctx.switchToHttp().getRequest<{ body?: unknown }>().body;
  return parseWith(schema, body ?? {});
});

export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? formatPath(issue.path) : 'body';
  throw invalid(field, issue?.message ?? 'is invalid');
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
}
