import type { Request, RequestHandler } from 'express';
import { apiErrors } from '@runwright/runbook';
import { ApiError } from '../http/api-error.js';
import type { Identity, TokenStore } from './token-store.js';

export type { Identity } from './token-store.js';

const identities = new WeakMap<Request, Identity>();

/** Reads `Authorization: Bearer <token>` and remembers who the caller is, if anyone. */
export function authenticate(tokens: TokenStore): RequestHandler {
  return (request, _response, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.get('authorization') ?? '');
    if (!match) return next();
    // A store that cannot answer fails the request (500), rather than passing it on as anonymous.
    tokens.authenticate(match[1]!).then((identity) => {
      if (identity) identities.set(request, identity);
      next();
    }, next);
  };
}

export function identityOf(request: Request): Identity | undefined {
  return identities.get(request);
}

/** Who is calling; 401 when no valid token was presented. */
export function identify(request: Request): Identity {
  const identity = identities.get(request);
  if (!identity) {
    throw new ApiError(401, apiErrors.unauthorized, 'a valid API token is required (Authorization: Bearer <token>)');
  }
  return identity;
}
