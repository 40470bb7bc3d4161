import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { stepErrors } from '@runwright/runbook';
import type { Redactor } from '../secrets/redactor.js';

/** A non-retryable InvalidConfig failure naming the field. */
export function invalidConfig(field: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: stepErrors.invalidConfig, message: `${field}: ${message}`, nonRetryable: true });
}

/**
 * The failure that leaves the worker: a new ApplicationFailure whose message and details have
 * the step's secrets replaced by `***`. The original is not attached as a cause, because its
 * message and stack could still hold a value.
 */
export function redactedFailure(error: unknown, redactor: Redactor, attempt: number): unknown {
  if (error instanceof CancelledFailure) return error;
  if (error instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      type: error.type ?? 'Error',
      message: redactor.text(error.message),
      nonRetryable: error.nonRetryable ?? false,
      details: [{ attempt }, ...redactor.deep(error.details ?? [])],
    });
  }
  const unexpected = error instanceof Error ? error : new Error(String(error));
  return ApplicationFailure.create({
    type: unexpected.name || 'Error',
    message: redactor.text(unexpected.message),
    details: [{ attempt }],
  });
}
