import type { Defaults, ExpressionScope, NodeState, RunInput } from '@runwright/runbook';
import type { Desk } from './checkpoint-desk.js';
import type { ItemCheckpoints } from './item-desk.js';

/** What every graph of one workflow shares: who runs, with what, and where decisions arrive. */
export interface RunContext {
  /** The run's workflow id: idempotency keys and child ids derive from it (batch children keep the parent's). */
  runId: string;
  runbookId: string;
  planHash: string;
  params: Record<string, unknown>;
  trigger: RunInput['trigger'];
  defaults: Defaults;
  /** Where people decide: the run's desk, or inside forEach batch children the item's way to it. */
  desk?: Desk;
  /** The run's side of checkpoints inside forEach items (absent in batch children). */
  itemCheckpoints?: ItemCheckpoints;
  /** The whole runbook, so forEach nodes can find their sub-graphs and sub-runbooks their definitions. */
  input: Pick<RunInput, 'runbook'> & Partial<Pick<RunInput, 'subRunbooks'>>;
  /** Rehearsal: actions record what they would do instead of running. */
  dryRun: boolean;
  /** True once the run should wind down without failing (the alert resolved and the runbook says so). */
  ending?: () => boolean;
}

/** Where a graph reports node status: the run's state book, or a batch child's item record. */
export interface StatusSink {
  update(id: string, change: Partial<NodeState>): void;
}

export function baseScope(context: RunContext, steps: ExpressionScope['steps'], item?: unknown): ExpressionScope {
  return {
    params: context.params,
    steps,
    run: { id: context.runId, runbookId: context.runbookId, startedBy: context.trigger.by },
    // Alert labels are untrusted: expressions may read them, but they reach programs only as values.
    ...(context.trigger.type === 'alert' && { alert: context.trigger.alert }),
    ...(item !== undefined && { item }),
  };
}
