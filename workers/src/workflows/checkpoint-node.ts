import { ApplicationFailure, patched } from '@temporalio/workflow';
import {
  durationToMs,
  renderTemplates,
  stepErrors,
  type NodeOfKind,
  type StepConfig,
  type StepOutput,
} from '@runwright/runbook';
import { runCall } from './action-call.js';
import type { OpenCheckpoint } from './checkpoint-desk.js';
import { Abandoned } from './failures.js';
import type { GraphRun } from './graph-run.js';
import { patches } from './patches.js';

/** A checkpoint node: waits for people; its config's timeout policy decides what no answer means. */
export async function runCheckpoint(graph: GraphRun, node: NodeOfKind<'checkpoint'>): Promise<StepOutput<'checkpoint'>> {
  graph.statuses.update(node.id, { status: 'waiting' });
  return awaitCheckpoint(graph, node.id, node.config);
}

/** Opens a checkpoint (a node's, or one a forEach opens between batches) and returns its outcome. */
export async function awaitCheckpoint(
  graph: GraphRun,
  checkpointId: string,
  config: StepConfig<'checkpoint'>,
  where: Pick<OpenCheckpoint, 'gate'> = {},
): Promise<StepOutput<'checkpoint'>> {
  const desk = graph.context.desk;
  // Before the patch, batch children had no desk and refused item checkpoints.
  if (!desk || (desk.remote && !patched(patches.forEachItemCheckpoints))) {
    throw ApplicationFailure.nonRetryable('checkpoints cannot run inside forEach items; use the forEach canary checkpoint', stepErrors.invalidConfig);
  }
  const timeout = config.timeout ? String(await renderTemplates(config.timeout, graph.scope())) : undefined;
  const timeoutMs = timeout ? durationToMs(timeout) : undefined;
  const pending = desk.open({
    nodeId: checkpointId,
    title: config.title,
    instructions: config.instructions,
    checklist: config.checklist,
    approvers: config.approvers,
    quorum: config.quorum,
    fourEyes: config.fourEyes,
    ...where,
  });
  let escalations = 0;
  try {
    for (;;) {
      const result = await desk.wait(pending, { ...(timeoutMs !== undefined && { timeoutMs }), halted: graph.halted });
      const decided = { decisions: pending.approvals, ...(escalations > 0 && { escalations }) };
      if (result.outcome === 'approved') return { outcome: 'approved', ...decided };
      if (result.outcome === 'abandoned') throw new Abandoned();
      if (result.outcome === 'rejected') {
        const last = pending.approvals.at(-1);
        throw ApplicationFailure.nonRetryable(
          `checkpoint rejected${last ? ` by ${last.by}${last.comment ? `: ${last.comment}` : ''}` : ''}`,
          stepErrors.checkpointRejected,
          { outcome: 'rejected', ...decided },
        );
      }
      if (config.onTimeout === 'continue') return { outcome: 'timedOut', ...decided };
      if (config.onTimeout === 'fail') {
        throw ApplicationFailure.nonRetryable(
          `no decision within ${timeout}${escalations > 0 ? ` after ${escalations} escalation(s)` : ''}`,
          stepErrors.checkpointTimedOut,
          { outcome: 'timedOut', ...decided },
        );
      }
      escalations += 1;
      pending.escalations = escalations;
      if (config.escalate) await runCall(graph, `${checkpointId}/escalate-${escalations}`, config.escalate);
    }
  } finally {
    const closing = desk.close(pending);
    if (closing) await closing;
  }
}
