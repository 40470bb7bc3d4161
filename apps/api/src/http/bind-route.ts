import type { Request, Router } from 'express';
import type { z } from 'zod';
import { pathToString, type RouteContract } from '@runwright/runbook';
import { ApiError } from './api-error.js';

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<R extends RouteContract> {
  params: Output<R['pathParams']>;
  query: Output<R['query']>;
  body: Output<R['body']>;
  request: Request;
}

/** A reply whose status is one the contract declares, with the body that status carries. */
export type RouteReply<R extends RouteContract> = {
  [S in keyof R['responses'] & number]: { status: S; body: z.input<R['responses'][S]> };
}[keyof R['responses'] & number];

function parsePart(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw ApiError.validation(
      where,
      result.error.issues.map((issue) => ({ path: pathToString([where, ...issue.path]), message: issue.message })),
    );
  }
  return result.data;
}

/** Binds a handler to a route of the contract; nothing reaches the handler unvalidated. */
export function bindRoute<R extends RouteContract>(
  router: Router,
  route: R,
  handler: (input: RouteInput<R>) => Promise<RouteReply<R>>,
): void {
  const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  router[method](route.path, async (request, response) => {
    const input = {
      params: parsePart(route.pathParams, request.params, 'path'),
      query: parsePart(route.query, request.query, 'query'),
      body: parsePart(route.body, request.body, 'body'),
      request,
    } as RouteInput<R>;
    const reply = await handler(input);
    response.status(reply.status).json(reply.body);
  });
}
