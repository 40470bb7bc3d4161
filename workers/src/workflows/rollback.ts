import { CancellationScope, patched } from '@temporalio/workflow';
import { stepErrors, type RunbookNode } from '@runwright/runbook';
import { runCall } from './action-call.js';
import { describeFailure } from './failures.js';
import type { Compensation, GraphRun } from './graph-run.js';
import { patches } from './patches.js';

type RollbackFailure = { nodeId: string; message: string };

/**
 * Runs the rollback actions of the graph's completed nodes, newest first; a forEach item that
 * succeeded counts as one entry, undone node by node (newest first) in its own scope. It runs in
 * a non-cancellable scope: a cancel that asked for rollback must not cut the rollback short.
 * It stops at the first rollback that fails, since later ones may rely on it; a person takes over.
 */
export async function rollBack(graph: GraphRun): Promise<RollbackFailure | undefined> {
  return CancellationScope.nonCancellable(async () => {
    for (const entry of [...graph.completed].reverse()) {
      const failure = entry.item ? await rollBackItem(graph, entry) : await rollBackNode(graph, entry.node);
      if (failure) return failure;
    }
    return undefined;
  });
}

async function rollBackNode(graph: GraphRun, node: RunbookNode): Promise<RollbackFailure | undefined> {
  try {
    await runCall(graph, `${node.id}/rollback`, node.rollback!, { policyNode: node });
    graph.statuses.update(node.id, { status: 'rolled-back' });
    return undefined;
  } catch (error) {
    const failure = describeFailure(error);
    graph.statuses.update(node.id, { error: { type: stepErrors.rollbackFailed, message: failure.message } });
    return { nodeId: node.id, message: `rollback of ${node.id} failed: ${failure.message}` };
  }
}

/**
 * Undoes one forEach item, items of a forEach nested in it included: the same activity ids and
 * idempotency keys as the item's own run used.
 */
async function rollBackItem(graph: GraphRun, entry: Compensation): Promise<RollbackFailure | undefined> {
  const item = entry.item!;
  for (const { node, scope, keyPrefix, nested } of [...item.calls].reverse()) {
    // Before the patch, a run's rollback did not reach the items of nested forEach nodes.
    if (nested && !patched(patches.forEachNestedRollback)) continue;
    try {
      await runCall(graph, `${node.id}/rollback`, node.rollback!, { policyNode: node, where: { scope, keyPrefix } });
    } catch (error) {
      const where = nested ? ` (${keyPrefix.replace(/\/$/, '')})` : '';
      const message = `rollback of ${node.id}${where} for item ${item.key} of ${entry.node.id} failed: ${describeFailure(error).message}`;
      item.rollbackFailed(message);
      return { nodeId: entry.node.id, message };
    }
  }
  item.rolledBack();
  return undefined;
}
