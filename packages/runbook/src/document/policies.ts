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

/** Runbook-wide defaults that every node inherits unless it says otherwise. */
export const defaultsSchema = z.strictObject({
  retry: retryPolicySchema.optional(),
  timeout: durationSchema.default('5m'),
  /** Task queue for action nodes without `runsOn`; empty means the worker's own queue. */
  taskQueue: z.string().optional(),
});
export type Defaults = z.infer<typeof defaultsSchema>;
