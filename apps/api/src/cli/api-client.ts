import type { z } from 'zod';
import { errorBodySchema, routePath, type RouteContract } from '@runwright/runbook';

type SuccessStatus<R extends RouteContract> = Extract<keyof R['responses'], 200 | 201 | 202>;
export type SuccessBody<R extends RouteContract> = z.output<R['responses'][SuccessStatus<R>]>;

/** An answer the API refused or could not give; the CLI prints the message and exits 2. */
export class CliApiError extends Error {
  constructor(
    message: string,
    /** The HTTP status the API answered with; absent when it could not be reached. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface CallOptions {
  params?: Record<string, string>;
  body?: unknown;
  query?: Record<string, string | undefined>;
}

async function request(baseUrl: string, token: string, route: RouteContract, options: CallOptions): Promise<Response> {
  const query = Object.entries(options.query ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const url = `${baseUrl.replace(/\/$/, '')}${routePath(route.path, options.params)}${query.length > 0 ? `?${new URLSearchParams(query)}` : ''}`;
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
  if (!response.ok) {
    const parsed = errorBodySchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new CliApiError(`HTTP ${response.status} from ${url}`, response.status);
    const details = parsed.data.details.map((d) => `\n  ${d.path}: ${d.message}`).join('');
    throw new CliApiError(`${parsed.data.error} (HTTP ${response.status}): ${parsed.data.message}${details}`, response.status);
  }
  return response;
}

/** Calls a route of the shared contract as the token's holder; API errors become readable messages. */
export function apiClient(baseUrl: string, token: string) {
  return async function call<R extends RouteContract>(route: R, options: CallOptions = {}): Promise<SuccessBody<R>> {
    return (await (await request(baseUrl, token, route, options)).json()) as SuccessBody<R>;
  };
}

/** For the routes that answer text (Markdown, HTML): the body as the server wrote it. */
export function apiTextClient(baseUrl: string, token: string) {
  return async function callText(route: RouteContract & { contentType: string }, options: CallOptions = {}): Promise<string> {
    return (await request(baseUrl, token, route, options)).text();
  };
}
