import { RequestMethod, type Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { endpointOf, type EndpointSpec } from '../common/endpoint.decorator';
import { rateLimitsOf, type RateLimitSpec } from '../rate-limit/rate-limit.decorator';

export interface RouteInfo {
  method: string;
  /** Express-style path, e.g. `/api/sites/:domain`. */
  path: string;
  controller: string;
  handler: string;
  endpoint: EndpointSpec | undefined;
  /** The route's @RateLimit budgets (empty when it declares none). */
  rateLimits: readonly RateLimitSpec[];
  /** Success status as Nest sends it: @HttpCode, else 201 for POST and 200 otherwise. */
  status: number;
}

/** Every HTTP route of the given controllers, read from Nest's own decorator metadata. */
export function routeTable(controllers: readonly Type[]): RouteInfo[] {
  const routes: RouteInfo[] = [];
  for (const controller of controllers) {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const proto = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (method === undefined || path === undefined) continue;
      routes.push({
        method: RequestMethod[method],
        path:
          '/' +
          [base, path]
            .map((p) => p.replace(/^\/|\/$/g, ''))
            .filter(Boolean)
            .join('/'),
        controller: controller.name,
        handler: name,
        endpoint: endpointOf(handler),
        rateLimits: rateLimitsOf(handler),
        status:
          (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ??
          (method === RequestMethod.POST ? 201 : 200),
      });
    }
  }
  return routes;
}
