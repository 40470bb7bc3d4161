import { defineQuery, setHandler } from '@temporalio/workflow';
import { runProtocol, type Defaults, type ExpressionScope, type ForEachBatchState, type NodeState, type RunInput, type Runbook } from '@runwright/runbook';
import { GraphRun, subGraphOf } from './graph-run.js';
import { ItemDeskChannel, RemoteDesk } from './item-desk.js';
import { rollBack } from './rollback.js';
import type { RunContext } from './run-context.js';

/** Workflow type of a forEach batch; the parent starts it by name. */
export const forEachBatchWorkflowType = 'forEachBatch';

export interface ForEachBatchInput {
  runId: string;
  runbook: Runbook;
  planHash: string;
  params: Record<string, unknown>;
  trigger: RunInput['trigger'];
  subRunbooks?: RunInput['subRunbooks'];
  defaults: Defaults;
  dryRun: boolean;
  /** The forEach node (and its key prefix in the parent) whose sub-graph runs per item. */
  forEachId: string;
  keyPrefix: string;
  steps: ExpressionScope['steps'];
  items: { key: string; value: unknown }[];
  maxConcurrency: number;
}

export const batchStateQuery = defineQuery<ForEachBatchState>(runProtocol.queries.batchState);

export interface ItemResult {
  key: string;
  status: 'succeeded' | 'failed';
  error?: string;
  /**
   * A succeeded item's completed nodes with rollback actions (oldest first) and the outputs of its
   * nodes, so the parent can undo the item if the run rolls back later. Absent: nothing to undo.
   */
  undo?: {
    nodes: string[];
    outputs: ExpressionScope['steps'];
    /**
     * Every rollback call, oldest first, when a forEach nested in the item has items to undo: its
     * own nodes by id alone, the nested items' nodes with their scope and key prefix.
     */
    calls?: { node: string; scope?: ExpressionScope; keyPrefix?: string }[];
  };
}

/**
 * One batch of a forEach as its own child workflow, so a 500-item rollout spreads its events over
 * many small histories instead of one large one. Items run their sub-graph at most
 * `maxConcurrency` at a time; an item's failure fails that item only (the parent counts them).
 */
export async function forEachBatch(input: ForEachBatchInput): Promise<ItemResult[]> {
  const context: RunContext = {
    runId: input.runId,
    runbookId: input.runbook.id,
    planHash: input.planHash,
    params: input.params,
    trigger: input.trigger,
    defaults: input.defaults,
    dryRun: input.dryRun,
    input: { runbook: input.runbook, ...(input.subRunbooks && { subRunbooks: input.subRunbooks }) },
  };
  const graph = subGraphOf(input.runbook.nodes, input.runbook.edges, input.forEachId);
  const nodes: Record<string, Record<string, NodeState>> = {};
  const results: ItemResult[] = new Array(input.items.length);
  const items: ForEachBatchState['items'] = Object.fromEntries(input.items.map((i) => [i.key, 'pending']));
  setHandler(batchStateQuery, () => ({ items, nodes }));
  const channel = new ItemDeskChannel(input.runId);

  const runItem = async (item: { key: string; value: unknown }): Promise<ItemResult> => {
    items[item.key] = 'running';
    const own: Record<string, NodeState> = (nodes[item.key] = {});
    const statuses = { update: (id: string, change: Partial<NodeState>) => void (own[id] = { ...(own[id] ?? { status: 'pending', attempts: 0 }), ...change }) };
    const desk = new RemoteDesk(channel, { forEachId: input.forEachId, key: item.key });
    const run = new GraphRun({ ...context, desk }, graph, statuses, {
      keyPrefix: `${input.keyPrefix}${input.forEachId}/${item.key}/`,
      item: item.value,
      steps: input.steps,
    });
    await run.run();
    if (!run.failure) {
      // Items of a forEach nested in this item travel up with their scopes, so the run's rollback
      // reaches them. Outputs and scopes travel whole (rollback templates may read them): mind payload size.
      const undo = run.completed.filter((c) => !c.item).map((c) => c.node.id);
      const calls = run.completed.flatMap((c) =>
        c.item ? c.item.calls.map((call) => ({ node: call.node.id, scope: call.scope, keyPrefix: call.keyPrefix })) : [{ node: c.node.id }],
      );
      if (calls.length === 0) return { key: item.key, status: 'succeeded' };
      const outputs = Object.fromEntries(graph.nodes.filter((n) => run.outputs[n.id]).map((n) => [n.id, run.outputs[n.id]!]));
      const nested = calls.length > undo.length ? { calls } : {};
      return { key: item.key, status: 'succeeded', undo: { nodes: undo, outputs, ...nested } };
    }
    const rollbackFailure = run.rollbackRequested ? await rollBack(run) : undefined;
    const message = `${run.failure.nodeId}: ${run.failure.message}${rollbackFailure ? `; ${rollbackFailure.message}` : ''}`;
    return { key: item.key, status: 'failed', error: message };
  };

  let next = 0;
  const lane = async () => {
    while (next < input.items.length) {
      const index = next++;
      const result = (results[index] = await runItem(input.items[index]!));
      items[result.key] = result.status;
      await channel.itemSettled(result.key);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(input.maxConcurrency, input.items.length)) }, lane));
  return results;
}
