import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import { allows, apiErrors, pathToString, routes, type RouteContract } from '@runwright/runbook';
import { ApiError } from './api-error.js';
import { identify, identityOf, type Identity } from '../auth/identity.js';
import { actorOf, auditOf, origin } from '../audit/request-audit.js';

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<R extends RouteContract> {
  params: Output<R['pathParams']>;
  query: Output<R['query']>;
  body: Output<R['body']>;
  /** The authenticated caller; `anonymous` on public and webhook routes. */
  identity: Identity;
  request: Request;
  /** Adds to the details this call's audit record keeps (what a change was before and after). */
  audit: (details: Record<string, unknown>) => void;
}

/** A reply whose status is one the contract declares, with the body that status carries. */
export type RouteReply<R extends RouteContract> = {
  [S in keyof R['responses'] & number]: { status: S; body: z.input<R['responses'][S]> };
}[keyof R['responses'] & number];

const anonymous: Identity = { user: 'anonymous', roles: [], tokenId: '' };

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

/** Who may call comes first: an unauthenticated caller learns nothing, not even what is invalid. */
function authorise(route: RouteContract, request: Request): Identity {
  if (route.access === 'public' || route.access === 'webhook') return identityOf(request) ?? anonymous;
  const identity = identify(request);
  if (!allows(route.access, identity.roles)) {
    throw new ApiError(403, apiErrors.forbidden, `${identity.user} (${identity.roles.join(', ')}) may not ${route.summary.toLowerCase()}`);
  }
  return identity;
}

function routeName(route: RouteContract): string {
  return Object.entries(routes).find(([, r]) => r === route)?.[0] ?? `${route.method} ${route.path}`;
}

/** The body fields the route asks to keep, as short text: a record of the decision, never a copy of the body. */
function auditDetails(route: RouteContract, body: unknown): { details?: Record<string, string> } {
  if (!route.auditFields || body === null || typeof body !== 'object') return {};
  const picked = route.auditFields
    .map((field) => [field, (body as Record<string, unknown>)[field]] as const)
    .filter((entry): entry is readonly [string, string | boolean] => typeof entry[1] === 'string' || typeof entry[1] === 'boolean')
    .map(([field, value]) => [field, String(value).slice(0, 500)]);
  return picked.length > 0 ? { details: Object.fromEntries(picked) } : {};
}

/** Streams are GETs, which the audit log does not record. */
const notAudited = (_details: Record<string, unknown>): void => undefined;

function withNoted(picked: { details?: Record<string, unknown> }, noted: Record<string, unknown>): { details?: Record<string, unknown> } {
  return Object.keys(noted).length === 0 ? picked : { details: { ...picked.details, ...noted } };
}

/**
 * Binds a handler to a route of the contract: the caller is authorised, nothing reaches the
 * handler unvalidated, and every state-changing call — allowed or refused — is audited.
 * Webhook routes audit their own decisions.
 */
export function bindRoute<R extends RouteContract>(
  router: Router,
  route: R,
  handler: (input: RouteInput<R>) => Promise<RouteReply<R>>,
): void {
  const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  const audited = route.method !== 'GET' && !route.safe && route.access !== 'webhook';
  const action = routeName(route);
  router[method](route.path, async (request, response) => {
    let reply: RouteReply<R> | undefined;
    let failure: unknown;
    const noted: Record<string, unknown> = {};
    try {
      const identity = authorise(route, request);
      const input = {
        params: parsePart(route.pathParams, request.params, 'path'),
        query: parsePart(route.query, request.query, 'query'),
        body: parsePart(route.body, request.body, 'body'),
        identity,
        request,
        audit: (details: Record<string, unknown>) => Object.assign(noted, details),
      } as RouteInput<R>;
      reply = await handler(input);
    } catch (error) {
      failure = error;
    }
    const status = reply?.status ?? (failure instanceof ApiError ? failure.status : 500);
    // Recorded before the answer leaves, so a caller never sees success for an unaudited change.
    if (audited) {
      await auditOf(request).append({
        actor: actorOf(identityOf(request)),
        from: origin(request),
        action,
        target: Object.fromEntries(Object.entries(request.params).map(([k, v]) => [k, String(v)])),
        outcome: status < 400 ? 'ok' : status === 401 || status === 403 ? 'denied' : 'failed',
        status,
        ...withNoted(auditDetails(route, request.body), noted),
      });
    }
    if (failure !== undefined || !reply) throw failure;
    if (route.contentType) response.status(reply.status).type(route.contentType).send(reply.body);
    else response.status(reply.status).json(reply.body);
  });
}

/**
 * Binds a GET route whose answer is a stream the handler writes itself (server-sent events):
 * the caller is authorised and the input validated exactly as for `bindRoute`; errors raised
 * before the handler starts writing still answer in the one JSON error shape.
 */
export function bindStreamRoute<R extends RouteContract & { method: 'GET' }>(
  router: Router,
  route: R,
  handler: (input: RouteInput<R>, response: Response) => Promise<void>,
): void {
  router.get(route.path, async (request, response) => {
    const identity = authorise(route, request);
    const input = {
      params: parsePart(route.pathParams, request.params, 'path'),
      query: parsePart(route.query, request.query, 'query'),
      body: undefined,
      identity,
      request,
      audit: notAudited,
    } as RouteInput<R>;
    await handler(input, response);
  });
}
