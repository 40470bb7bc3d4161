import { ApplicationFailure, patched, startChild } from '@temporalio/workflow';
import {
  defaultItemName,
  evaluateExpression,
  gateAfterBatch,
  itemKeys,
  planBatches,
  resolveCount,
  stepErrors,
  type BatchGateState,
  type ExpressionScope,
  type ItemStatus,
  type NodeOfKind,
  type NodeState,
  type StepOutput,
} from '@runwright/runbook';
import { workflowNow } from './clock.js';
import { Abandoned } from './failures.js';
import { forEachBatchWorkflowType, type ForEachBatchInput, type ItemResult } from './for-each-batch.js';
import type { GraphRun } from './graph-run.js';
import { passGate } from './for-each-gate.js';
import { patches } from './patches.js';
import { baseScope } from './run-context.js';

type Item = { key: string; value: unknown };

/** Names items by the `key` expression, or by themselves when text or numbers, or by position — as the plan preview does. */
async function keyedItems(graph: GraphRun, node: NodeOfKind<'forEach'>, values: unknown[]): Promise<Item[]> {
  const names: unknown[] = [];
  for (const [index, value] of values.entries()) {
    names.push(node.config.key ? await evaluateExpression(node.config.key, { ...graph.scope(), item: value }) : defaultItemName(value, index));
  }
  return itemKeys(names).map((key, i) => ({ key, value: values[i] }));
}

/**
 * Runs the sub-graph per item, one child workflow per batch, in order. More failed items than
 * the threshold halts the rollout; otherwise the gate after the batch (the canary's, or
 * `afterEachBatch`: see plan/batch-gates.ts) must pass before the next batch starts.
 */
export async function runForEach(graph: GraphRun, node: NodeOfKind<'forEach'>): Promise<StepOutput<'forEach'>> {
  const { config } = node;
  const values = await evaluateExpression(config.items, graph.scope());
  if (!Array.isArray(values)) {
    throw ApplicationFailure.nonRetryable(`items must be a list; ${config.items} gave ${JSON.stringify(values) ?? 'nothing'}`, stepErrors.invalidConfig);
  }
  const items = await keyedItems(graph, node, values);
  const batches = planBatches(items, config);
  // Gates after every batch came later: a run that started before them waits only after its canary.
  const gated = config.afterEachBatch && patched(patches.forEachBatchGates) ? config : { canary: config.canary };
  const threshold = resolveCount(config.failureThreshold, items.length);
  const status: Record<string, ItemStatus> = Object.fromEntries(items.map((i) => [i.key, 'pending']));
  const errors: Record<string, string> = {};
  const progress: NonNullable<NodeState['progress']> = { total: items.length, batches: batches.length, batchesDone: 0, halted: false, items: status };
  const report = () =>
    graph.statuses.update(node.id, { progress: { ...progress, items: { ...status }, ...(progress.gates && { gates: progress.gates.map((g) => ({ ...g })) }) } });
  report();
  const { context } = graph;
  let finished = false;
  const undoable = (results: ItemResult[], steps: ExpressionScope['steps']) =>
    results.flatMap((result) => {
      if (result.status !== 'succeeded' || !result.undo) return [];
      const { key } = result;
      const item = items.find((i) => i.key === key)!;
      const scope = baseScope(context, { ...steps, ...result.undo.outputs }, item.value);
      const keyPrefix = `${graph.options.keyPrefix}${node.id}/${key}/`;
      const recorded: NonNullable<ItemResult['undo']>['calls'] = result.undo.calls ?? result.undo.nodes.map((id) => ({ node: id }));
      const calls = recorded.map((call) => ({
        node: context.input.runbook.nodes.find((n) => n.id === call.node)!,
        scope: call.scope ?? scope,
        keyPrefix: call.keyPrefix ?? keyPrefix,
        nested: call.scope !== undefined,
      }));
      return [
        {
          node,
          item: {
            key,
            calls,
            rolledBack: () => {
              status[key] = 'rolled-back';
              report();
              // A finished forEach reads `rolled-back` once none of its items stays done.
              if (finished && !Object.values(status).includes('succeeded')) graph.statuses.update(node.id, { status: 'rolled-back' });
            },
            rollbackFailed: (message: string) => graph.statuses.update(node.id, { error: { type: stepErrors.rollbackFailed, message } }),
          },
        },
      ];
    });

  let failed = 0;
  const halt = (error: ApplicationFailure): never => {
    progress.halted = true;
    for (const item of items) if (status[item.key] === 'pending') status[item.key] = 'skipped';
    report();
    throw error;
  };
  for (const [index, batch] of batches.entries()) {
    if (graph.halted()) {
      progress.halted = true;
      for (const item of items) if (status[item.key] === 'pending') status[item.key] = 'skipped';
      report();
      throw new Abandoned('abandoned: the run halted before the rollout ended');
    }
    for (const item of batch) status[item.key] = 'running';
    const steps = { ...graph.outputs };
    const input: ForEachBatchInput = {
      runId: context.runId,
      runbook: context.input.runbook,
      planHash: context.planHash,
      params: context.params,
      trigger: context.trigger,
      ...(context.input.subRunbooks && { subRunbooks: context.input.subRunbooks }),
      defaults: context.defaults,
      dryRun: context.dryRun,
      forEachId: node.id,
      keyPrefix: graph.options.keyPrefix,
      steps,
      items: batch,
      maxConcurrency: config.maxConcurrency ?? batch.length,
    };
    const workflowId = `${context.runId}/${graph.options.keyPrefix}${node.id}/batch-${index + 1}`;
    context.itemCheckpoints?.batchStarting(workflowId, { forEachId: node.id, keys: batch.map((i) => i.key), lanes: input.maxConcurrency });
    const child = await startChild<(input: ForEachBatchInput) => Promise<ItemResult[]>>(forEachBatchWorkflowType, { workflowId, args: [input] });
    // Named in the state only once the child has started, so whoever reads it can query it.
    progress.currentBatch = workflowId;
    report();
    let results: ItemResult[];
    try {
      results = await child.result();
    } finally {
      context.itemCheckpoints?.batchEnded(workflowId);
    }
    delete progress.currentBatch;
    for (const result of results) {
      status[result.key] = result.status;
      if (result.error) errors[result.key] = result.error;
      if (result.status === 'failed') failed += 1;
    }
    // Items that succeeded join the rollback plan as they finish, so a later rollback undoes them.
    const undo = undoable(results, steps);
    if (undo.length > 0 && patched(patches.forEachItemRollback)) graph.completed.push(...undo);
    progress.batchesDone = index + 1;
    report();
    if (failed > threshold) {
      // Why, in the words of the failed items (node and error), so the run's error says it.
      // Only the failure's text changes: no command, so no patch (patches.ts).
      const why = items.filter((i) => status[i.key] === 'failed').slice(0, 3).map((i) => `${i.key}: ${(errors[i.key] ?? 'failed').slice(0, 300)}`);
      halt(
        ApplicationFailure.nonRetryable(
          `${failed} of ${items.length} items failed (tolerated: ${threshold}): ${why.join('; ')}${failed > why.length ? '; …' : ''} — the rollout halted after batch ${index + 1} of ${batches.length}`,
          stepErrors.failureThresholdExceeded,
        ),
      );
    }
    const gate = gateAfterBatch(node.id, gated, index + 1, batches.length);
    if (gate) {
      const gateState: BatchGateState = { id: gate.id, batch: gate.batch, status: gate.observe ? 'observing' : 'waiting', startedAt: workflowNow().toISOString() };
      (progress.gates ??= []).push(gateState);
      report();
      try {
        await passGate(graph, node, gate, gateState, report);
      } catch (error) {
        if (error instanceof ApplicationFailure) halt(error);
        // Cancellation and abandonment keep their meaning; only the items' record changes.
        progress.halted = true;
        for (const item of items) if (status[item.key] === 'pending') status[item.key] = 'skipped';
        report();
        throw error;
      }
    }
  }
  finished = true;
  const count = (wanted: ItemStatus) => items.filter((i) => status[i.key] === wanted).length;
  const failures = items.filter((i) => status[i.key] === 'failed').map((i) => ({ key: i.key, error: errors[i.key] ?? 'failed' }));
  return { total: items.length, succeeded: count('succeeded'), failed: count('failed'), skipped: count('skipped'), halted: false, failures };
}
