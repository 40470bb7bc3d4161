import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import {
  durationToMs,
  type ActionActivities,
  type ActionInput,
  type ActionResult,
  type Defaults,
  type RetryPolicy,
  type RunbookNode,
} from '@runwright/runbook';

const defaultRetry: RetryPolicy = { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2, nonRetryable: [] };

/** Activity options of one node: its own policies first, then the runbook's defaults. */
export function activityOptionsFor(node: RunbookNode, defaults: Defaults): ActivityOptions {
  const retry = node.retry ?? defaults.retry ?? defaultRetry;
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

/** Runs an action node's activity, named by its kind, with the node's policies. */
export async function runAction(node: RunbookNode, defaults: Defaults, input: ActionInput): Promise<ActionResult> {
  const activities = proxyActivities<ActionActivities>(activityOptionsFor(node, defaults));
  const activity = activities[node.kind as keyof ActionActivities] as (input: ActionInput) => Promise<ActionResult>;
  return activity(input);
}
