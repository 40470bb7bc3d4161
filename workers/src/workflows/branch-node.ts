import { ApplicationFailure } from '@temporalio/workflow';
import { defaultBranchLabel, evaluateExpression, stepErrors, type NodeOfKind, type StepOutput } from '@runwright/runbook';
import type { GraphRun } from './graph-run.js';

/** Evaluates the expression and takes the outgoing edges labelled with its value, else the `default` ones. */
export async function runBranch(graph: GraphRun, node: NodeOfKind<'branch'>): Promise<StepOutput<'branch'>> {
  const value = await evaluateExpression(node.config.expression, graph.scope());
  const label = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  const labels = new Set(graph.topology.outgoing.get(node.id)!.map((e) => e.label ?? ''));
  const taken = labels.has(label) ? [label] : labels.has(defaultBranchLabel) ? [defaultBranchLabel] : [];
  if (taken.length === 0) {
    // Silently skipping every path would end the run "succeeded" having done nothing.
    throw ApplicationFailure.nonRetryable(
      `branch value ${JSON.stringify(label)} matches no edge label (${[...labels].map((l) => JSON.stringify(l)).join(', ')}) and there is no "${defaultBranchLabel}" edge`,
      stepErrors.invalidConfig,
    );
  }
  graph.take(node.id, taken);
  return { value, taken };
}
