import type { Type } from '@nestjs/common';
import { z } from 'zod';
import { routeTable } from './route-table';

type JsonObject = Record<string, unknown>;

/**
 * The OpenAPI 3.1 document, generated from the controllers: paths and methods from Nest's
 * metadata, summaries, access and body schemas from each route's @Endpoint (zod → JSON Schema).
 */
export function buildOpenApiDocument(controllers: readonly Type[], serverUrl: string): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routeTable(controllers)) {
    const spec = route.endpoint;
    const openApiPath = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const params = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const status = String(route.status);
    const access = spec?.access ?? 'session';
    const operation: JsonObject = {
      operationId: `${route.controller.replace(/Controller$/, '')}_${route.handler}`,
      summary: spec?.summary ?? route.handler,
      tags: [spec?.tag ?? 'other'],
      parameters: params,
      security:
        access === 'public'
          ? []
          : access === 'session'
            ? [{ session: [] }]
            : [{ session: [] }, { apiKey: [] }],
      responses: {
        [status]: {
          description: spec?.response ? `${spec.response} (see @sightline/api-contract)` : 'Success',
        },
        '4XX': {
          description: 'Error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
    if (spec?.body) {
      operation.requestBody = {
        required: true,
        content: {
          'application/json': { schema: z.toJSONSchema(spec.body, { io: 'input', unrepresentable: 'any' }) },
        },
      };
    }
    (paths[openApiPath] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sightline API',
      version: '1',
      description:
        'Accounts, orgs, sites and stats. `POST /api/v2/query` follows the Plausible Stats API v2 shape. Browsers authenticate with the `sl_session` cookie, scripts with `Authorization: Bearer <API key>` (the Stats API, in the Basic and Premium plans: otherwise 402 `feature_not_in_plan`).',
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'sl_session' },
        apiKey: { type: 'http', scheme: 'bearer' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                field: { type: 'string' },
              },
            },
          },
        },
      },
    },
  };
}
