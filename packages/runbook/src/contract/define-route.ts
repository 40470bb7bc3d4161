import type { z } from 'zod';
import type { Access } from './access.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One route of the API: the server binds its handler to it, the editor's client calls it,
 * the OpenAPI document and the tests are generated from it.
 */
export interface RouteContract {
  method: HttpMethod;
  path: string;
  summary: string;
  /** Who may call it; the server enforces it before anything else runs. */
  access: Access;
  pathParams?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  responses: Record<number, z.ZodType>;
  /** A POST that changes nothing (validation): the audit log skips it like a GET. */
  safe?: boolean;
  /** Body fields worth keeping in the audit record's details (what was decided, not secrets). */
  auditFields?: readonly string[];
  /** Set for successful answers that are not JSON (metrics, report pages, event streams); errors stay JSON. */
  contentType?: string;
}

export function defineRoute<const R extends RouteContract>(route: R): R {
  return route;
}

/** `/api/runs/:runId` with `{ runId: 'x' }` → `/api/runs/x`. */
export function routePath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`path parameter ${name} missing for ${path}`);
    return encodeURIComponent(value);
  });
}
