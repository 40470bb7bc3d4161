import { z } from 'zod';
import type { ActionType, StepConfig, StepKinds } from '../steps/registry.js';
import { authoringSchemaOf } from './authoring.js';

/**
 * One action kind with its config, used where a policy names an action rather than a node:
 * a node's `rollback`, a checkpoint's escalation, an observe node's guards.
 */
export type ActionCall = { [K in ActionType]: { kind: K; config: StepConfig<K> } }[ActionType];

/**
 * Loose on purpose in its static type: step kinds (checkpoint, observe) use this schema and the
 * registry's types are derived from those kinds, so a precise type here would be circular.
 * At run time it validates against the authoring form of the named kind's config schema: typed
 * fields may be `{{ templates }}`, rendered and checked with the real schema by the worker.
 */
export interface LooseActionCall {
  kind: string;
  config: unknown;
}

// Step kinds (checkpoint, observe) use this schema and the registry imports them, so this module
// must not import the registry at run time (a cycle would meet uninitialised bindings whichever
// module loads first). The registry hands itself over once it exists.
let kinds: StepKinds | undefined;
export function provideStepKinds(stepKinds: StepKinds): void {
  kinds = stepKinds;
}

let built: z.ZodType<LooseActionCall> | undefined;
function build(): z.ZodType<LooseActionCall> {
  if (!kinds) throw new Error('the step registry is not loaded');
  const stepKinds = kinds;
  const actionTypes = (Object.keys(stepKinds) as (keyof StepKinds)[]).filter((t) => stepKinds[t].execution === 'action');
  built ??= z.discriminatedUnion(
    'kind',
    actionTypes.map((type) => z.strictObject({ kind: z.literal(type), config: authoringSchemaOf(stepKinds[type].config) })) as unknown as [
      z.ZodObject<{ kind: z.ZodLiteral<string>; config: z.ZodType }>,
    ],
    { error: (issue) => (issue.code === 'invalid_union' ? `not an action kind; action kinds are ${actionTypes.join(', ')}` : undefined) },
  ) as unknown as z.ZodType<LooseActionCall>;
  return built;
}

export const actionCallSchema: z.ZodType<LooseActionCall> = z.lazy(build);

/** The precise type of a validated action call (the schema guaranteed it). */
export function asActionCall(call: LooseActionCall): ActionCall {
  return call as ActionCall;
}
