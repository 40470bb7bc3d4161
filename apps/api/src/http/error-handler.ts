import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { apiErrors, temporalUnreachableMessage } from '@runwright/runbook';
import { unreachableKind, type TemporalHealth } from '../temporal/temporal-health.js';
import { ApiError } from './api-error.js';

/** Unknown routes answer in JSON like every other error. */
export const notFoundHandler: RequestHandler = (request, response) => {
  response.status(404).json(ApiError.notFound(`no route ${request.method} ${request.path}`).body());
};

/** What every route answers when Temporal cannot be reached: the same words the editor's banner uses. */
export function temporalUnavailable(address: string): ApiError {
  return new ApiError(503, apiErrors.temporalUnavailable, temporalUnreachableMessage(address));
}

/**
 * Turns every error into the one error shape; unexpected ones are logged, not leaked. A call
 * that failed because Temporal cannot be reached is a 503 `temporal_unavailable`, not an
 * internal error: it is the operator's to fix, and clients may retry.
 */
export function errorHandler(log: Logger, health: TemporalHealth): ErrorRequestHandler {
  return async (error: unknown, request, response, _next) => {
    let apiError: ApiError;
    const reach = error instanceof ApiError ? 'no' : unreachableKind(error);
    if (reach === 'unreachable' || (reach === 'maybe' && !(await health.reachable()))) {
      health.recordUnreachable();
      // One line, no stack: while Temporal is down every call says the same.
      log.warn({ method: request.method, path: request.path, temporal: health.address, reason: (error as Error).message }, 'Temporal unreachable');
      apiError = temporalUnavailable(health.address);
    } else if (error instanceof ApiError) {
      apiError = error;
    } else if (isBodyParserError(error)) {
      apiError =
        error.type === 'entity.too.large'
          ? new ApiError(413, apiErrors.payloadTooLarge, `request body larger than ${error.limit} bytes`)
          : new ApiError(400, apiErrors.validation, `malformed request body: ${error.message}`, [{ path: 'body', message: error.message }]);
    } else {
      log.error({ err: error, method: request.method, path: request.path }, 'request failed');
      apiError = new ApiError(500, apiErrors.internal, 'internal error; see the API log');
    }
    response.status(apiError.status).json(apiError.body());
  };
}

function isBodyParserError(error: unknown): error is Error & { type: string; limit?: number } {
  return error instanceof Error && typeof (error as { type?: unknown }).type === 'string' && 'status' in error;
}
