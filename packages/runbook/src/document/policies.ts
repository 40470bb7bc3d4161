import { z } from 'zod';
import { durationSchema } from './duration.js';

/** Retry policy for an action node; maps onto Temporal's activity retry policy. */
export const retryPolicySchema = z.strictObject({
  maximumAttempts: z.number().int().min(1).default(3),
  initialInterval: durationSchema.default('1s'),
  backoffCoefficient: z.number().min(1).default(2),
  maximumInterval: durationSchema.optional(),
  /** Error types that fail the node at once instead of being retried. */
  nonRetryable: z.array(z.string()).default([]),
});
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

/**
 * What happens when a node fails: `stop` (nothing new starts, waiting checkpoints are abandoned),
 * `rollback` (then run the rollback actions of completed nodes, newest first), or `ask` (a
 * person chooses retry, skip, rollback or abort at a checkpoint created on the fly).
 */
export const onFailureSchema = z.enum(['stop', 'rollback', 'ask']);
export type OnFailure = z.infer<typeof onFailureSchema>;

/** Runbook-wide defaults that every node inherits unless it says otherwise. */
export const defaultsSchema = z.strictObject({
  retry: retryPolicySchema.optional(),
  timeout: durationSchema.default('5m'),
  /** Task queue for action nodes without `runsOn`; empty means the worker's own queue. */
  taskQueue: z.string().optional(),
  /** For nodes without their own `onFailure`; `stop` when absent. */
  onFailure: onFailureSchema.optional(),
  /** Cancelling the run rolls back its completed nodes first. */
  rollbackOnCancel: z.boolean().optional(),
  /**
   * When the alert that started the run resolves: `ignore` it, or `endWaiting` — checkpoints and
   * soaks still waiting give up, nothing new starts, and the run ends as succeeded.
   */
  onAlertResolved: z.enum(['ignore', 'endWaiting']).optional(),
});
export type Defaults = z.infer<typeof defaultsSchema>;
