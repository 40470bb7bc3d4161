import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { apiErrors } from '@runwright/runbook';
import { ApiError } from './api-error.js';

/** Unknown routes answer in JSON like every other error. */
export const notFoundHandler: RequestHandler = (request, response) => {
  response.status(404).json(ApiError.notFound(`no route ${request.method} ${request.path}`).body());
};

/** Turns every error into the one error shape; unexpected ones are logged, not leaked. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    let apiError: ApiError;
    if (error instanceof ApiError) {
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
