import { ApplicationFailure, condition } from '@temporalio/workflow';
import {
  durationToMs,
  renderTemplates,
  stepErrors,
  type NodeOfKind,
  type ObserveWindow,
  type RunbookNode,
  type StepOutput,
} from '@runwright/runbook';
import { runCall } from './action-call.js';
import { workflowNow } from './clock.js';
import { Abandoned, describeFailure } from './failures.js';
import type { GraphRun } from './graph-run.js';

export async function runObserve(graph: GraphRun, node: NodeOfKind<'observe'>): Promise<StepOutput<'observe'>> {
  return soak(graph, node.id, node.config, node);
}

/**
 * Waits out a soak window, polling every guard at the start, at each interval and at the end.
 * The first failing guard fails the node at once; a halt elsewhere abandons the soak.
 */
export async function soak(graph: GraphRun, soakId: string, window: ObserveWindow, policyNode?: RunbookNode): Promise<StepOutput<'observe'>> {
  const scope = graph.scope();
  const windowMs = durationToMs(String(await renderTemplates(window.duration, scope)));
  const intervalMs = Math.max(1, durationToMs(String(await renderTemplates(window.interval, scope))));
  const deadline = workflowNow().getTime() + windowMs;
  let polls = 0;
  for (;;) {
    await Promise.all(
      window.guards.map(async (guard) => {
        try {
          await runCall(graph, `${soakId}/guard-${guard.name}`, guard.check, { ...(policyNode && { policyNode }), singleAttempt: true });
        } catch (error) {
          const failure = describeFailure(error);
          throw ApplicationFailure.nonRetryable(`guard "${guard.name}" failed on poll ${polls + 1}: ${failure.message}`, stepErrors.guardFailed, {
            guard: guard.name,
            cause: failure,
          });
        }
      }),
    );
    polls += 1;
    // A rehearsal reports the window without waiting it out.
    if (graph.context.dryRun) return { polls, windowMs };
    const remaining = deadline - workflowNow().getTime();
    if (remaining <= 0) return { polls, windowMs };
    // `condition` with a timeout is a durable timer that a halt can cut short.
    if (await condition(graph.halted, Math.min(intervalMs, remaining))) throw new Abandoned('abandoned: the run halted during the soak');
  }
}
