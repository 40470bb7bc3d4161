import { asActionCall, renderTemplates, type ExpressionScope, type LooseActionCall, type RunbookNode } from '@runwright/runbook';
import { activityOptionsFor, runActionKind } from './action-node.js';
import { dryRunRecord } from './dry-run.js';
import type { GraphRun } from './graph-run.js';

/**
 * Runs an action named by a policy (a rollback, an escalation, a guard) rather than by a node.
 * `policyNode` lends its retry, timeout and task queue; without one the runbook's defaults apply.
 * `where` runs it in another scope and key prefix than the graph's (a forEach item's, at rollback).
 */
export async function runCall(
  graph: GraphRun,
  callId: string,
  loose: LooseActionCall,
  options: { policyNode?: RunbookNode; singleAttempt?: boolean; where?: { scope: ExpressionScope; keyPrefix: string } } = {},
): Promise<unknown> {
  const call = asActionCall(loose);
  const { context } = graph;
  const config = await renderTemplates(call.config, options.where?.scope ?? graph.scope());
  if (context.dryRun) return dryRunRecord(call.kind, config);
  const policies = options.policyNode ?? ({ id: callId, kind: call.kind, config } as RunbookNode);
  const nodeId = `${options.where?.keyPrefix ?? graph.options.keyPrefix}${callId}`;
  const result = await runActionKind(call.kind, activityOptionsFor(policies, context.defaults, { singleAttempt: options.singleAttempt ?? false }), {
    runId: context.runId,
    nodeId,
    idempotencyKey: `${context.runId}/${nodeId}`,
    config,
  } as never);
  return result.output;
}
