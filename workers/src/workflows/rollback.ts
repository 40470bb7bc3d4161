import { CancellationScope } from '@temporalio/workflow';
import { stepErrors } from '@runwright/runbook';
import { runCall } from './action-call.js';
import { describeFailure } from './failures.js';
import type { GraphRun } from './graph-run.js';

/**
 * Runs the rollback actions of the graph's completed nodes, newest first. It runs in a
 * non-cancellable scope: a cancel that asked for rollback must not cut the rollback short.
 * It stops at the first rollback that fails, since later ones may rely on it; a person takes over.
 */
export async function rollBack(graph: GraphRun): Promise<{ nodeId: string; message: string } | undefined> {
  return CancellationScope.nonCancellable(async () => {
    for (const node of [...graph.completed].reverse()) {
      try {
        await runCall(graph, `${node.id}/rollback`, node.rollback!, { policyNode: node });
        graph.statuses.update(node.id, { status: 'rolled-back' });
      } catch (error) {
        const failure = describeFailure(error);
        graph.statuses.update(node.id, { error: { type: stepErrors.rollbackFailed, message: failure.message } });
        return { nodeId: node.id, message: `rollback of ${node.id} failed: ${failure.message}` };
      }
    }
    return undefined;
  });
}
