/**
 * Failure types of action steps, named once. Runbooks list them in `retry.nonRetryable`;
 * activities raise them; the API and the editor show them.
 */
export const stepErrors = {
  /** The step's config cannot work (bad URL, missing file): retrying will not help. */
  invalidConfig: 'InvalidConfig',
  /** A program exited with a code the step did not expect. */
  unexpectedExitCode: 'UnexpectedExitCode',
  /** An HTTP endpoint answered with a status the step did not expect. */
  unexpectedStatus: 'UnexpectedStatus',
  /** The far end could not be reached (refused, reset, DNS). */
  unreachable: 'Unreachable',
  /** The step ran out of time. */
  timedOut: 'TimedOut',
  /** A person rejected a checkpoint. */
  checkpointRejected: 'CheckpointRejected',
} as const;

export type StepErrorType = (typeof stepErrors)[keyof typeof stepErrors];
