import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  runProtocol,
  type ChecklistItem,
  type DecideCheckpointInput,
  type ForEachBatchState,
  type RunInput,
  type RunState,
} from '@runwright/runbook';
import { shippedRunbook } from '../../support/runbooks.js';

/** The person who starts rehearsals, and a different one who approves (four-eyes holds). */
export const starter = 'rehearsal-starter';
const approver = { user: 'rehearsal-approver', roles: ['approver'] };

/** The definitions of every runbook a shipped runbook starts, directly or through its children. */
export function resolveSubRunbooks(id: string, found: NonNullable<RunInput['subRunbooks']> = {}): NonNullable<RunInput['subRunbooks']> {
  for (const node of shippedRunbook(id).runbook.nodes) {
    if (node.kind !== 'subRunbook' || found[node.config.runbook]) continue;
    found[node.config.runbook] = shippedRunbook(node.config.runbook);
    resolveSubRunbooks(node.config.runbook, found);
  }
  return found;
}

/** An answer each checklist item accepts as an approval. */
function answerFor(item: ChecklistItem): unknown {
  switch (item.type) {
    case 'tick':
    case 'boolean':
      return true;
    case 'number':
      return 42;
    case 'text':
      return 'rehearsal';
  }
}

export interface Rehearsal {
  handle: WorkflowHandle;
  state: RunState;
  /** Checkpoints approved, as `<workflow id>#<checkpoint id>`, in the order they were decided. */
  approved: string[];
  /** A child run's final state (sub-runbooks), by the node that started it. */
  child(nodeId: string): Promise<RunState>;
  /** A forEach batch's per-item node states. */
  batch(forEachId: string, index: number): Promise<ForEachBatchState>;
}

/**
 * Starts a shipped runbook in dry-run mode and approves every checkpoint that opens, in the run
 * and in its child runs, filling in each checklist item, until the run ends.
 */
export async function rehearse(env: TestWorkflowEnvironment, taskQueue: string, id: string, params: Record<string, unknown>): Promise<Rehearsal> {
  const { runbook, planHash } = shippedRunbook(id);
  const input: RunInput = { runbook, planHash, params, trigger: { type: 'manual', by: starter }, subRunbooks: resolveSubRunbooks(id), dryRun: true };
  const handle = await env.client.workflow.start(runProtocol.workflowType, { taskQueue, workflowId: `rehearsal-${id}-${randomUUID()}`, args: [input] });
  const approved: string[] = [];
  // Waits for the run to close. result() can also give up for client reasons (a long poll cut
  // short on a loaded machine), so only a closed workflow counts as the end.
  const ended = (async () => {
    for (;;) {
      const error = await handle.result().then(() => undefined, (e: unknown) => e);
      if (error === undefined || error instanceof WorkflowFailedError) return true;
      if ((await handle.describe()).status.name !== 'RUNNING') return true;
    }
  })();
  let done = false;
  void ended.then(() => (done = true));

  const approveWaiting = async (run: WorkflowHandle): Promise<void> => {
    const state = await run.query<RunState>(runProtocol.queries.state);
    for (const pending of state.pendingCheckpoints) {
      const decision: DecideCheckpointInput = {
        nodeId: pending.nodeId,
        decision: 'approve',
        planHash: state.planHash,
        decider: approver,
        comment: 'rehearsal',
        checklist: Object.fromEntries(pending.checklist.map((item) => [item.id, answerFor(item)])),
      };
      await run.executeUpdate(runProtocol.updates.decideCheckpoint, { args: [decision] });
      approved.push(`${run.workflowId}#${pending.nodeId}`);
    }
    for (const node of Object.values(state.nodes)) {
      if (node.child && (node.status === 'running' || node.status === 'waiting')) {
        await approveWaiting(env.client.workflow.getHandle(node.child.workflowId)).catch(() => undefined);
      }
    }
  };
  for (let round = 0; !done; round++) {
    if (round > 1200) {
      const state = JSON.stringify(await handle.query(runProtocol.queries.state));
      await handle.terminate('the rehearsal did not end');
      throw new Error(`${id}: the rehearsal did not end: ${state}`);
    }
    await approveWaiting(handle).catch(async (error: unknown) => {
      if (!done && (await handle.describe()).status.name === 'RUNNING') throw error;
    });
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
  const state = await handle.query<RunState>(runProtocol.queries.state);
  return {
    handle,
    state,
    approved,
    child: async (nodeId) => {
      const workflowId = state.nodes[nodeId]?.child?.workflowId;
      if (!workflowId) throw new Error(`${id}: node ${nodeId} started no child run`);
      return env.client.workflow.getHandle(workflowId).query<RunState>(runProtocol.queries.state);
    },
    batch: (forEachId, index) => env.client.workflow.getHandle(`${handle.workflowId}/${forEachId}/batch-${index}`).query<ForEachBatchState>(runProtocol.queries.batchState),
  };
}

/** What a dry-run action recorded: its kind and its config with templates rendered. */
export function wouldRun(state: Pick<RunState, 'nodes'>, nodeId: string): { kind: string; config: Record<string, unknown> } {
  const output = state.nodes[nodeId]?.output as { dryRun?: boolean; kind: string; wouldRun: Record<string, unknown> } | undefined;
  if (!output?.dryRun) throw new Error(`node ${nodeId} recorded no dry-run action: ${JSON.stringify(state.nodes[nodeId])}`);
  return { kind: output.kind, config: output.wouldRun };
}
