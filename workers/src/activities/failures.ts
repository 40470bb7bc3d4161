import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { stepErrors } from '@runwright/runbook';
import type { Redactor } from '../secrets/redactor.js';
import { shownValue } from './rendered-value.js';

/** A non-retryable InvalidConfig failure naming the field. */
export function invalidConfig(field: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: stepErrors.invalidConfig, message: `${field}: ${message}`, nonRetryable: true });
}

type ZodIssueLike = { path: readonly PropertyKey[]; message: string };

/**
 * A config that did not validate as an InvalidConfig failure: every problem with its field and,
 * when `checked` says which schema and value failed, the rendered value (see rendered-value.ts).
 * At the worker the config is already rendered, so this is where a template that produced a bad
 * value (a port of 70000, a host with a space) shows up.
 */
export function invalidConfigFromZod(error: { issues: readonly ZodIssueLike[] }, checked?: { schema: unknown; config: unknown }): ApplicationFailure {
  const [first, ...rest] = error.issues;
  const field = (issue: ZodIssueLike) => issue.path.map(String).join('.') || 'config';
  const described = (issue: ZodIssueLike) => `${issue.message}${checked ? shownValue(checked.schema, checked.config, issue.path) : ''}`;
  const more = rest.map((issue) => `; ${field(issue)}: ${described(issue)}`).join('');
  return invalidConfig(field(first!), `${described(first!)}${more}`);
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
