import { apiErrors, type ErrorBody, type Problem } from '@runwright/runbook';

/** An error the API answers with on purpose: a status, a code and the problems found. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Problem[] = [],
  ) {
    super(message);
  }

  body(): ErrorBody {
    return { error: this.code, message: this.message, details: this.details };
  }

  static validation(where: string, details: Problem[]): ApiError {
    return new ApiError(400, apiErrors.validation, `invalid ${where}`, details);
  }

  static notFound(message: string): ApiError {
    return new ApiError(404, apiErrors.notFound, message);
  }
}
