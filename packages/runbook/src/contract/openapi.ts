import { z } from 'zod';
import { runbookJsonSchema } from '../schema/json-schema.js';
import type { RouteContract } from './define-route.js';

type JsonSchema = Record<string, unknown>;

/** OpenAPI 3.1 fixes the dialect for the whole document. */
function withoutDialect({ $schema: _dialect, ...rest }: JsonSchema): JsonSchema {
  return rest;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  return withoutDialect(z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema);
}

/** Path and query parameters of a route, one OpenAPI parameter per property of its object schema. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    schema: property,
  }));
}

const statusText: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 400: 'Invalid request', 401: 'No valid credentials', 403: 'Not allowed',
  404: 'Not found', 409: 'Conflict', 413: 'Body too large', 422: 'Runbook has problems', 429: 'Too many failed authentications', 503: 'Unavailable',
};

/**
 * The OpenAPI 3.1 document of the API, generated from the same route contracts the server
 * binds and the editor calls, so it cannot drift from either. Runbooks travel as YAML text;
 * their structure, every step kind's config included, is published as `components.schemas.Runbook`.
 */
export function openApiDocument(routes: Record<string, RouteContract>, info: { title: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, route] of Object.entries(routes)) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const responses = Object.fromEntries(
      Object.entries(route.responses).map(([status, schema]) => [
        status,
        {
          description: statusText[Number(status)] ?? `HTTP ${status}`,
          // A text route (metrics, a report page) still answers its errors in JSON.
          content: { [Number(status) < 300 ? (route.contentType ?? 'application/json') : 'application/json']: { schema: jsonSchema(schema, 'output') } },
        },
      ]),
    );
    paths[path] = {
      ...paths[path],
      [route.method.toLowerCase()]: {
        operationId: name,
        summary: route.summary,
        'x-runwright-access': route.access,
        ...(route.access !== 'public' && route.access !== 'webhook' && { security: [{ bearerToken: [] }] }),
        parameters: [...parameters(route.pathParams, 'path'), ...parameters(route.query, 'query')],
        ...(route.body && { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } }),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info,
    components: {
      securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token (runwright token create)' } },
      schemas: { Runbook: withoutDialect(runbookJsonSchema()) },
    },
    paths,
  };
}
