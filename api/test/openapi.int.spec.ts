import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_CONTROLLERS } from '../src/app.module';
import { routeTable, type RouteInfo } from '../src/openapi/route-table';
import { ApiHarness } from './api-harness';

interface Operation {
  operationId: string;
  summary: string;
  tags: string[];
  parameters: { name: string; in: string; required: boolean }[];
  security: Record<string, string[]>[];
  requestBody?: { required: boolean; content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, unknown>;
}
interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: string[];
  items?: JsonSchema;
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
}

const routes = routeTable(API_CONTROLLERS);

/** The status the route really answers with: its @HttpCode, else Nest's default (201 for POST). */
function realStatus(route: RouteInfo): number {
  const controller = API_CONTROLLERS.find((c) => c.name === route.controller);
  const handler = (controller?.prototype as Record<string, object> | undefined)?.[route.handler];
  const code = handler ? (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) : undefined;
  return code ?? (route.method === 'POST' ? 201 : 200);
}

/**
 * KNOWN BUG (api/src/openapi/openapi-document.ts): the documented success status comes from
 * @Endpoint's `status` only, so POST routes that answer 200 through @HttpCode(200) without
 * repeating `status: 200` are documented as 201. Fix: read HTTP_CODE_METADATA there (or add
 * `status: 200`), then empty this list; the test fails until it matches reality exactly.
 */
const KNOWN_WRONG_STATUS: string[] = [];
const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

describe('OpenAPI document and Swagger UI', () => {
  const api = new ApiHarness();
  let doc: OpenApiDocument;
  beforeAll(async () => {
    await api.start();
    const res = await api.client().get<OpenApiDocument>('/api/docs/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    doc = res.body;
  });
  afterAll(() => api.stop());

  it('is a public OpenAPI 3.1 document with both ways to authenticate', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Sightline API');
    expect(doc.servers).toEqual([{ url: 'http://app.sightline.test' }]);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey', 'session']);
    expect(doc.components.schemas).toHaveProperty('Error');
  });

  it('lists every route of the route table with its method, and nothing else', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const expected = routes.map((r) => `${r.method} ${toOpenApiPath(r.path)}`);
    expect(documented.sort()).toEqual(expected.sort());
    expect(doc.paths['/api/v2/query']).toHaveProperty('post');
    expect(doc.paths['/api/sites/{domain}']).toHaveProperty('patch');
    expect(doc.paths['/api/orgs/{orgId}/members/{userId}']).toHaveProperty('delete');
  });

  it('describes parameters, security, summaries and success statuses per route', () => {
    const operationIds = new Set<string>();
    const wrongStatus: string[] = [];
    for (const route of routes) {
      const op = doc.paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase()];
      const label = `${route.method} ${route.path}`;
      expect(op, label).toBeDefined();
      if (!op) continue;
      expect(op.summary, label).toBe(route.endpoint?.summary);
      expect(operationIds.has(op.operationId), `${label} has a unique operationId`).toBe(false);
      operationIds.add(op.operationId);
      const params = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
      expect(
        op.parameters.map((p) => p.name),
        label,
      ).toEqual(params);
      expect(op.parameters.every((p) => p.in === 'path' && p.required)).toBe(true);
      const access = route.endpoint?.access ?? 'session';
      const schemes = op.security.flatMap((s) => Object.keys(s)).sort();
      expect(schemes, label).toEqual(
        access === 'public' ? [] : access === 'session' ? ['session'] : ['apiKey', 'session'],
      );
      const documented = Object.keys(op.responses).filter((s) => /^\d+$/.test(s));
      expect(documented, label).toHaveLength(1);
      if (documented[0] !== String(realStatus(route))) wrongStatus.push(label);
    }
    expect(wrongStatus.sort()).toEqual([...KNOWN_WRONG_STATUS].sort());
    expect(doc.paths['/api/auth/logout']?.post?.responses).toHaveProperty('204');
    expect(doc.paths['/api/invitations/accept']?.post?.responses).toHaveProperty('200');
    expect(doc.paths['/api/orgs/{orgId}/sites']?.post?.responses).toHaveProperty('201');
  });

  it('has a request body schema for every route that takes a body, and only for those', () => {
    const withBody = routes.filter((r) => r.endpoint?.body);
    expect(withBody.length).toBeGreaterThan(10);
    for (const route of routes) {
      const op = doc.paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase()];
      const label = `${route.method} ${route.path}`;
      if (!route.endpoint?.body) {
        expect(op?.requestBody, label).toBeUndefined();
        continue;
      }
      expect(op?.requestBody?.required, label).toBe(true);
      const schema = op?.requestBody?.content['application/json'].schema;
      expect(schema?.type, label).toBe('object');
      expect(Object.keys(schema?.properties ?? {}).length, label).toBeGreaterThan(0);
    }
    // Spot checks that the zod schemas came through with their details.
    const signUp = doc.paths['/api/auth/signup']?.post?.requestBody?.content['application/json'].schema;
    expect(signUp?.required?.sort()).toEqual(['email', 'password']);
    expect(Object.keys(signUp?.properties ?? {})).toContain('invitationToken');
    const member =
      doc.paths['/api/orgs/{orgId}/members/{userId}']?.patch?.requestBody?.content['application/json'].schema;
    expect(member?.properties?.role?.enum?.sort()).toEqual(['admin', 'owner', 'viewer']);
    const query = doc.paths['/api/v2/query']?.post?.requestBody?.content['application/json'].schema;
    expect(query?.required).toEqual(expect.arrayContaining(['site_id', 'metrics', 'date_range']));
    expect(query?.properties?.metrics?.items?.enum).toContain('visitors');
  });

  it('serves Swagger UI whose scripts and styles are served too', async () => {
    const client = api.client();
    const page = await client.get<string>('/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = page.body;
    expect(html).toContain('id="swagger-ui"');
    const assets = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    expect(assets.filter((a) => a.endsWith('.js')).length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const res = await fetch(new URL(asset, api.baseUrl));
      expect(res.status, asset).toBe(200);
      const type = res.headers.get('content-type') ?? '';
      expect(type, asset).toMatch(asset.endsWith('.css') ? /text\/css/ : /javascript/);
      expect((await res.text()).length, asset).toBeGreaterThan(asset.endsWith('init.js') ? 20 : 10_000);
    }
    const init = await client.get<string>('/api/docs/init.js');
    expect(init.body).toContain('/api/docs/openapi.json');
    expect((await client.get('/api/docs/assets/no-such-file.css')).status).toBe(404);
  });
});
