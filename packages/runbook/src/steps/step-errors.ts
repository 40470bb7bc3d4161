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
  /** A referenced secret is not in the worker's secret source. */
  secretMissing: 'SecretMissing',
  /** The worker's outbound address policy refuses the destination (loopback, private, metadata…). */
  addressRefused: 'AddressRefused',
  /** The step's assertion over a response or result did not hold. */
  assertionFailed: 'AssertionFailed',
  /** A remote host's key is unknown or differs from the pinned one. */
  hostKeyRejected: 'HostKeyRejected',
  /** The far end refused our credentials. */
  authenticationFailed: 'AuthenticationFailed',
  /** Some of the targets of a many-host step failed. */
  partialFailure: 'PartialFailure',
  /** A backup was made but did not prove itself (restore failed, counts differ, check failed). */
  backupVerificationFailed: 'BackupVerificationFailed',
  /** A promote step found a server that is not a standby and was told to require one. */
  notStandby: 'NotStandby',
  /** A person rejected a checkpoint. */
  checkpointRejected: 'CheckpointRejected',
  /** No decision came before a checkpoint's timeout and the runbook says that fails it. */
  checkpointTimedOut: 'CheckpointTimedOut',
  /** A guard check of an observe node (or of a forEach gate between batches) failed during the soak. */
  guardFailed: 'GuardFailed',
  /** More forEach items failed than the runbook tolerates; the rollout halted. */
  failureThresholdExceeded: 'FailureThresholdExceeded',
  /** A person answering a failure chose to abort the run. */
  aborted: 'Aborted',
  /** A wait (checkpoint, soak, rollout) given up because the run halted or wound down; the node is skipped. */
  abandoned: 'Abandoned',
  /** A rollback action failed; the rollback stopped there. */
  rollbackFailed: 'RollbackFailed',
  /** Another run holds the runbook's concurrency key and the runbook refuses to wait. */
  concurrencyRefused: 'ConcurrencyRefused',
  /** A template or condition hit an evaluation limit (steps, depth, size, time): it would run away. */
  expressionLimit: 'ExpressionLimit',
} as const;

export type StepErrorType = (typeof stepErrors)[keyof typeof stepErrors];
