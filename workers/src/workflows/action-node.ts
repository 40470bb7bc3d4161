import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import {
  durationToMs,
  type ActionActivities,
  type ActionInput,
  type ActionResult,
  type ActionType,
  type Defaults,
  type RetryPolicy,
  type RunbookNode,
} from '@runwright/runbook';

const defaultRetry: RetryPolicy = { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2, nonRetryable: [] };

/**
 * Activity options of one node: its own policies first, then the runbook's defaults. Checks
 * (guards) pass `singleAttempt`: a failing guard is an answer, not a fault to retry, unless the
 * node asks for retries itself.
 */
export function activityOptionsFor(node: RunbookNode, defaults: Defaults, options: { singleAttempt?: boolean } = {}): ActivityOptions {
  const retry = node.retry ?? (options.singleAttempt ? { ...defaultRetry, maximumAttempts: 1 } : (defaults.retry ?? defaultRetry));
  const taskQueue = node.runsOn ?? defaults.taskQueue;
  return {
    startToCloseTimeout: durationToMs(node.timeout ?? defaults.timeout),
    ...(node.heartbeat && { heartbeatTimeout: durationToMs(node.heartbeat) }),
    ...(taskQueue && { taskQueue }),
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: durationToMs(retry.initialInterval),
      backoffCoefficient: retry.backoffCoefficient,
      ...(retry.maximumInterval && { maximumInterval: durationToMs(retry.maximumInterval) }),
      nonRetryableErrorTypes: retry.nonRetryable,
    },
  };
}

/** Runs one action kind's activity, named by its kind. */
export async function runActionKind(kind: ActionType, options: ActivityOptions, input: ActionInput): Promise<ActionResult> {
  const activities = proxyActivities<ActionActivities>(options);
  const activity = activities[kind] as (input: ActionInput) => Promise<ActionResult>;
  return activity(input);
}

/** Runs an action node's activity with the node's policies. */
export async function runAction(node: RunbookNode, defaults: Defaults, input: ActionInput): Promise<ActionResult> {
  return runActionKind(node.kind as ActionType, activityOptionsFor(node, defaults), input);
}
