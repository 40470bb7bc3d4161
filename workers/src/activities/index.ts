import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActionActivities, ActionInput, ActionType, StepOutput } from '@runwright/runbook';
import { http } from './http.js';
import { shell } from './shell.js';

type ActionImplementations = { [K in ActionType]: (input: ActionInput<K>) => Promise<StepOutput<K>> };

/** One implementation per action kind of the registry; the type makes a missing one a compile error. */
export const actionImplementations: ActionImplementations = { shell, http };

/** Wraps an implementation so results and failures carry the attempt that produced them. */
function withAttempt<K extends ActionType>(implementation: ActionImplementations[K]) {
  return async (input: ActionInput<K>) => {
    const { attempt } = Context.current().info;
    try {
      return { output: await implementation(input), attempt };
    } catch (error) {
      if (error instanceof ApplicationFailure) {
        throw ApplicationFailure.create({
          type: error.type ?? 'Error',
          message: error.message,
          nonRetryable: error.nonRetryable ?? false,
          details: [{ attempt }, ...(error.details ?? [])],
        });
      }
      throw error;
    }
  };
}

/** The activities a worker registers, named by kind; `only` limits them to the kinds a site offers. */
export function createActivities(only?: readonly ActionType[]): Partial<ActionActivities> {
  const kinds = (only ?? (Object.keys(actionImplementations) as ActionType[])) as ActionType[];
  return Object.fromEntries(
    kinds.map((kind) => [kind, withAttempt(actionImplementations[kind] as ActionImplementations[ActionType] as never)]),
  ) as Partial<ActionActivities>;
}
