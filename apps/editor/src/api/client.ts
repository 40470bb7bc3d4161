import type { z } from 'zod';
import { errorBodySchema, routePath, routes, type RouteContract, type ErrorBody } from '@runwright/runbook';

/** An error answer of the API, in its one shape. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
}

type SuccessStatus<R extends RouteContract> = Extract<keyof R['responses'], 200 | 201>;
type SuccessBody<R extends RouteContract> = z.output<R['responses'][SuccessStatus<R>]>;

interface CallOptions {
  params?: Record<string, string>;
  body?: unknown;
}

/** Calls a route of the shared contract and parses its answer with the contract's schema. */
export async function call<R extends RouteContract>(route: R, options: CallOptions = {}): Promise<SuccessBody<R>> {
  const response = await fetch(routePath(route.path, options.params), {
    method: route.method,
    headers: options.body === undefined ? {} : { 'content-type': 'application/json' },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const json: unknown = await response.json();
  const schema = route.responses[response.status];
  if (!response.ok) {
    const parsed = errorBodySchema.safeParse(json);
    throw new ApiCallError(
      response.status,
      parsed.success ? parsed.data : { error: 'unexpected', message: `HTTP ${response.status}`, details: [] },
    );
  }
  return (schema ? schema.parse(json) : json) as SuccessBody<R>;
}

export const api = {
  listRunbooks: () => call(routes.listRunbooks),
  getRunbook: (runbookId: string) => call(routes.getRunbook, { params: { runbookId } }),
  startRun: (runbookId: string, params: Record<string, unknown>) =>
    call(routes.startRun, { params: { runbookId }, body: { params } }),
  getRun: (runId: string) => call(routes.getRun, { params: { runId } }),
  decideCheckpoint: (runId: string, nodeId: string, body: z.input<typeof routes.decideCheckpoint.body>) =>
    call(routes.decideCheckpoint, { params: { runId, nodeId }, body }),
};
