import { ApplicationFailure, isCancellation } from '@temporalio/workflow';
import type { BatchGate, BatchGateState, CheckpointDecision, NodeOfKind } from '@runwright/runbook';
import { awaitCheckpoint } from './checkpoint-node.js';
import { workflowNow } from './clock.js';
import { describeFailure, isAbandoned } from './failures.js';
import type { GraphRun } from './graph-run.js';
import { soak } from './observe-node.js';

/**
 * Holds the next batch back until the gate after this one passes: its soak first (every guard
 * passing to the end of the window), then its checkpoint. The gate runs in the run itself, not
 * in the batch child, so its checkpoint is decided through the run's own update and validator.
 *
 * A guard that trips, a rejection or a checkpoint timing out under `onTimeout: fail` fails the
 * gate; the failure keeps its type (GuardFailed, CheckpointRejected, CheckpointTimedOut) and its
 * message names the gate and the batch, so the forEach node's error says which gate stopped the
 * rollout and why. `state` is the gate's entry in the forEach's progress; `changed` publishes it.
 */
export async function passGate(graph: GraphRun, node: NodeOfKind<'forEach'>, gate: BatchGate, state: BatchGateState, changed: () => void): Promise<void> {
  const set = (change: Partial<BatchGateState>) => {
    Object.assign(state, change);
    changed();
  };
  try {
    if (gate.observe) {
      const soaked = await soak(graph, gate.id, gate.observe, node);
      set({ polls: soaked.polls });
    }
    if (gate.checkpoint) {
      set({ status: 'waiting' });
      graph.statuses.update(node.id, { status: 'waiting' });
      const decided = await awaitCheckpoint(graph, gate.id, gate.checkpoint, { gate: { forEachId: node.id, batch: gate.batch, batches: gate.batches } });
      graph.statuses.update(node.id, { status: 'running' });
      set({ decision: { outcome: decided.outcome, by: decided.decisions.map((d) => d.by) } });
    }
    set({ status: 'passed', endedAt: workflowNow().toISOString() });
  } catch (error) {
    const endedAt = workflowNow().toISOString();
    if (isCancellation(error) || isAbandoned(error)) {
      set({ status: 'abandoned', endedAt });
      throw error;
    }
    const failure = describeFailure(error);
    const message = `gate ${gate.id} after batch ${gate.batch} of ${gate.batches}: ${failure.message}`;
    const details = error instanceof ApplicationFailure ? (error.details?.[0] as { outcome?: 'rejected' | 'timedOut'; decisions?: CheckpointDecision[] } | undefined) : undefined;
    const decision = details?.outcome && { decision: { outcome: details.outcome, by: (details.decisions ?? []).map((d) => d.by) } };
    set({ status: 'failed', endedAt, error: { type: failure.type, message }, ...decision });
    if (error instanceof ApplicationFailure) throw ApplicationFailure.nonRetryable(message, error.type, ...(error.details ?? []));
    throw error;
  }
}
