import type { ActionType, StepConfig, StepOutput } from '../steps/registry.js';

/** What the interpreter passes to an action kind's activity. Config templates are already rendered. */
export interface ActionInput<K extends ActionType = ActionType> {
  runId: string;
  nodeId: string;
  /** Same for every attempt of this node in this run; kinds with side effects pass it on. */
  idempotencyKey: string;
  config: StepConfig<K>;
}

/** What every action activity returns: the kind's output and the attempt that produced it. */
export interface ActionResult<K extends ActionType = ActionType> {
  output: StepOutput<K>;
  attempt: number;
}

/** The worker's activities, one per action kind, named by the kind's type. */
export type ActionActivities = { [K in ActionType]: (input: ActionInput<K>) => Promise<ActionResult<K>> };
