import type { z } from 'zod';
import { errorBodySchema, routePath, type RouteContract } from '@runwright/runbook';

type SuccessStatus<R extends RouteContract> = Extract<keyof R['responses'], 200 | 201 | 202>;
export type SuccessBody<R extends RouteContract> = z.output<R['responses'][SuccessStatus<R>]>;

export class CliApiError extends Error {}

/** Calls a route of the shared contract as the token's holder; API errors become readable messages. */
export function apiClient(baseUrl: string, token: string) {
  return async function call<R extends RouteContract>(
    route: R,
    options: { params?: Record<string, string>; body?: unknown; query?: Record<string, string> } = {},
  ): Promise<SuccessBody<R>> {
    const query = options.query ? `?${new URLSearchParams(options.query)}` : '';
    const url = `${baseUrl.replace(/\/$/, '')}${routePath(route.path, options.params)}${query}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: route.method,
        headers: { authorization: `Bearer ${token}`, ...(options.body !== undefined && { 'content-type': 'application/json' }) },
        ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
      });
    } catch (error) {
      throw new CliApiError(`cannot reach the API at ${baseUrl}: ${(error as Error).message}`);
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const parsed = errorBodySchema.safeParse(json);
      if (!parsed.success) throw new CliApiError(`HTTP ${response.status} from ${url}`);
      const details = parsed.data.details.map((d) => `\n  ${d.path}: ${d.message}`).join('');
      throw new CliApiError(`${parsed.data.error} (HTTP ${response.status}): ${parsed.data.message}${details}`);
    }
    return json as SuccessBody<R>;
  };
}
