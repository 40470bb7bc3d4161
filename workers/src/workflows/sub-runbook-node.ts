import { ApplicationFailure, executeChild, patched, workflowInfo } from '@temporalio/workflow';
import {
  renderTemplates,
  runProtocol,
  searchAttributes,
  stepErrors,
  type NodeOfKind,
  type RunInput,
  type RunState,
  type StepOutput,
} from '@runwright/runbook';
import type { GraphRun } from './graph-run.js';
import { patches } from './patches.js';

type SearchAttributePair = ReturnType<ReturnType<typeof workflowInfo>['typedSearchAttributes']['getAll']>[number];

/**
 * The parent's run search attributes with the child's own runbook id and plan hash: the child is
 * a run of that runbook, started by the same trigger (and as a dry run when the parent is one).
 * Keys come from the parent's pairs, so a run started without them hands none down.
 */
function childSearchAttributes(runbookId: string, planHash: string): SearchAttributePair[] {
  const own: Record<string, string> = { [searchAttributes.runbookId.name]: runbookId, [searchAttributes.planHash.name]: planHash };
  return workflowInfo()
    .typedSearchAttributes.getAll()
    .map((pair) => (pair.key.name in own ? ({ ...pair, value: own[pair.key.name] } as SearchAttributePair) : pair));
}

/**
 * Starts another runbook as a child workflow of the same interpreter. Its definition came with
 * the run's input (workflows cannot read files); its state is queried on the child's own id.
 */
export async function runSubRunbook(graph: GraphRun, node: NodeOfKind<'subRunbook'>): Promise<StepOutput<'subRunbook'>> {
  const { context } = graph;
  const definition = context.input.subRunbooks?.[node.config.runbook];
  if (!definition) {
    throw ApplicationFailure.nonRetryable(`runbook "${node.config.runbook}" was not resolved when the run started`, stepErrors.invalidConfig);
  }
  const params = await renderTemplates(node.config.params, graph.scope());
  const workflowId = `${context.runId}/${graph.options.keyPrefix}${node.id}`;
  graph.statuses.update(node.id, { child: { workflowId } });
  const input: RunInput = {
    runbook: definition.runbook,
    planHash: definition.planHash,
    params,
    trigger: context.trigger,
    ...(context.input.subRunbooks && { subRunbooks: context.input.subRunbooks }),
    ...(context.dryRun && { dryRun: true }),
  };
  const state = await executeChild<(input: RunInput) => Promise<RunState>>(runProtocol.workflowType, {
    workflowId,
    args: [input],
    ...(patched(patches.subRunbookSearchAttributes) && { typedSearchAttributes: childSearchAttributes(definition.runbook.id, definition.planHash) }),
  });
  return { workflowId, runbookId: state.runbookId, planHash: state.planHash, status: state.status };
}
