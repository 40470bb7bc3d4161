import { ApplicationFailure, startChild } from '@temporalio/workflow';
import {
  evaluateExpression,
  resolveCount,
  stepErrors,
  type ForEachItemStatus,
  type NodeOfKind,
  type NodeState,
  type StepOutput,
} from '@runwright/runbook';
import { awaitCheckpoint } from './checkpoint-node.js';
import { Abandoned } from './failures.js';
import { forEachBatchWorkflowType, type ForEachBatchInput, type ItemResult } from './for-each-batch.js';
import type { GraphRun } from './graph-run.js';
import { soak } from './observe-node.js';

type Item = { key: string; value: unknown };

/** Names items by the `key` expression, or by themselves when text or numbers, or by position. */
async function keyedItems(graph: GraphRun, node: NodeOfKind<'forEach'>, values: unknown[]): Promise<Item[]> {
  const seen = new Map<string, number>();
  const items: Item[] = [];
  for (const [index, value] of values.entries()) {
    const named = node.config.key
      ? await evaluateExpression(node.config.key, { ...graph.scope(), item: value })
      : typeof value === 'string' || typeof value === 'number'
        ? value
        : index;
    let key = String(named);
    const count = seen.get(key) ?? 0;
    seen.set(key, count + 1);
    if (count > 0) key = `${key}#${count + 1}`;
    items.push({ key, value });
  }
  return items;
}

/** The canary batch first (when asked for), then batches of `batchSize`. */
function batchesOf(items: Item[], node: NodeOfKind<'forEach'>): Item[][] {
  const { canary, batchSize } = node.config;
  const batches: Item[][] = [];
  let rest = items;
  if (canary && rest.length > 0) {
    const size = Math.min(rest.length, Math.max(1, resolveCount(canary.size, items.length)));
    batches.push(rest.slice(0, size));
    rest = rest.slice(size);
  }
  const size = Math.max(1, resolveCount(batchSize, items.length));
  for (let i = 0; i < rest.length; i += size) batches.push(rest.slice(i, i + size));
  return batches;
}

/**
 * Runs the sub-graph per item, one child workflow per batch, in order. After the canary batch
 * its soak and checkpoint must pass; more failed items than the threshold halts the rollout.
 */
export async function runForEach(graph: GraphRun, node: NodeOfKind<'forEach'>): Promise<StepOutput<'forEach'>> {
  const { config } = node;
  const values = await evaluateExpression(config.items, graph.scope());
  if (!Array.isArray(values)) {
    throw ApplicationFailure.nonRetryable(`items must be a list; ${config.items} gave ${JSON.stringify(values) ?? 'nothing'}`, stepErrors.invalidConfig);
  }
  const items = await keyedItems(graph, node, values);
  const batches = batchesOf(items, node);
  const threshold = resolveCount(config.failureThreshold, items.length);
  const status: Record<string, ForEachItemStatus> = Object.fromEntries(items.map((i) => [i.key, 'pending']));
  const errors: Record<string, string> = {};
  const progress: NonNullable<NodeState['progress']> = { total: items.length, batches: batches.length, batchesDone: 0, halted: false, items: status };
  const report = () => graph.statuses.update(node.id, { progress: { ...progress, items: { ...status } } });
  report();

  const { context } = graph;
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
      steps: graph.outputs,
      items: batch,
      maxConcurrency: config.maxConcurrency ?? batch.length,
    };
    const workflowId = `${context.runId}/${graph.options.keyPrefix}${node.id}/batch-${index + 1}`;
    const child = await startChild<(input: ForEachBatchInput) => Promise<ItemResult[]>>(forEachBatchWorkflowType, { workflowId, args: [input] });
    // Named in the state only once the child has started, so whoever reads it can query it.
    progress.currentBatch = workflowId;
    report();
    const results = await child.result();
    delete progress.currentBatch;
    for (const result of results) {
      status[result.key] = result.status;
      if (result.error) errors[result.key] = result.error;
      if (result.status === 'failed') failed += 1;
    }
    progress.batchesDone = index + 1;
    report();
    if (failed > threshold) {
      halt(
        ApplicationFailure.nonRetryable(
          `${failed} of ${items.length} items failed (tolerated: ${threshold}); the rollout halted after batch ${index + 1} of ${batches.length}`,
          stepErrors.failureThresholdExceeded,
        ),
      );
    }
    if (index === 0 && config.canary) {
      try {
        if (config.canary.observe) await soak(graph, `${node.id}.canary`, config.canary.observe, node);
        if (config.canary.checkpoint) {
          graph.statuses.update(node.id, { status: 'waiting' });
          await awaitCheckpoint(graph, `${node.id}.canary`, config.canary.checkpoint);
          graph.statuses.update(node.id, { status: 'running' });
        }
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
  const count = (wanted: ForEachItemStatus) => items.filter((i) => status[i.key] === wanted).length;
  const failures = items.filter((i) => status[i.key] === 'failed').map((i) => ({ key: i.key, error: errors[i.key] ?? 'failed' }));
  return { total: items.length, succeeded: count('succeeded'), failed: count('failed'), skipped: count('skipped'), halted: false, failures };
}
