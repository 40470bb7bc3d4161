import { renderTemplates, stepKinds, type ActionType, type NodeOfKind, type RunbookNode, type StepType } from '@runwright/runbook';
import { runAction } from './action-node.js';
import { dryRunRecord } from './dry-run.js';
import { runBranch } from './branch-node.js';
import { runCheckpoint } from './checkpoint-node.js';
import { runForEach } from './for-each-node.js';
import type { GraphRun } from './graph-run.js';
import { runObserve } from './observe-node.js';
import { runSubRunbook } from './sub-runbook-node.js';

type ControlType = { [K in StepType]: (typeof stepKinds)[K]['execution'] extends 'control' ? K : never }[StepType];

/** The interpreter's one dispatch over control kinds; the type makes a missing kind a compile error. */
const controlKinds: { [K in ControlType]: (graph: GraphRun, node: NodeOfKind<K>) => Promise<unknown> } = {
  checkpoint: runCheckpoint,
  branch: runBranch,
  observe: runObserve,
  forEach: runForEach,
  subRunbook: runSubRunbook,
};

/** Runs one node: an action kind as its activity, a control kind in the workflow. */
export async function executeNode(graph: GraphRun, node: RunbookNode): Promise<{ output: unknown; attempts: number }> {
  if (stepKinds[node.kind].execution === 'action') {
    const { context, options } = graph;
    const config = await renderTemplates(node.config, graph.scope());
    if (context.dryRun) return { output: dryRunRecord(node.kind as ActionType, config), attempts: 0 };
    const nodeId = `${options.keyPrefix}${node.id}`;
    const result = await runAction(node, context.defaults, {
      runId: context.runId,
      nodeId,
      idempotencyKey: `${context.runId}/${nodeId}`,
      config,
    } as never);
    return { output: result.output, attempts: result.attempt };
  }
  const handler = controlKinds[node.kind as ControlType] as (graph: GraphRun, node: RunbookNode) => Promise<unknown>;
  return { output: await handler(graph, node), attempts: 1 };
}
