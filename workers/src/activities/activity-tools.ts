import type { ActionInput, ActionType, Resolved, StepConfig, StepOutput } from '@runwright/runbook';
import type { ActivityConfig } from '../config/worker-config.js';
import type { Redactor } from '../secrets/redactor.js';

/** An activity's input once its config has been validated again and its secrets looked up. */
export type ResolvedInput<K extends ActionType> = Omit<ActionInput<K>, 'config'> & { config: Resolved<StepConfig<K>> };

/** What the worker hands every implementation besides its input. */
export interface ActivityTools {
  config: ActivityConfig;
  /** Hides the secret values this step used; for anything an implementation logs itself. */
  redactor: Redactor;
  /** Every kind's implementation, for kinds that run others (waitUntil polls a check kind). */
  implementations: ActionImplementations;
}

export type ActionImplementation<K extends ActionType> = (input: ResolvedInput<K>, tools: ActivityTools) => Promise<StepOutput<K>>;

/** One implementation per action kind of the registry; the mapped type makes a missing one a compile error. */
export type ActionImplementations = { [K in ActionType]: ActionImplementation<K> };
