import { z } from 'zod';
import { actionKinds } from '../steps/action-kinds.js';
import type { ActionType, StepConfig } from '../steps/registry.js';
import { authoringSchemaOf } from './authoring.js';

/**
 * One action kind with its config, used where a policy names an action rather than a node:
 * a node's `rollback`, a checkpoint's escalation, an observe node's guards.
 */
export type ActionCall = { [K in ActionType]: { kind: K; config: StepConfig<K> } }[ActionType];

/**
 * Loose in its static type: control kinds (checkpoint, observe) embed this schema and the
 * registry's types are derived from those kinds, so the precise type here would be circular.
 * At run time it validates against the authoring form of the named kind's config schema: typed
 * fields may be `{{ templates }}`, rendered and checked with the real schema by the worker.
 */
export interface LooseActionCall {
  kind: string;
  config: unknown;
}

const actionTypes = Object.keys(actionKinds) as ActionType[];

export const actionCallSchema: z.ZodType<LooseActionCall> = z.discriminatedUnion(
  'kind',
  actionTypes.map((type) => z.strictObject({ kind: z.literal(type), config: authoringSchemaOf(actionKinds[type].config) })) as unknown as [
    z.ZodObject<{ kind: z.ZodLiteral<string>; config: z.ZodType }>,
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? `not an action kind; action kinds are ${actionTypes.join(', ')}` : undefined) },
) as unknown as z.ZodType<LooseActionCall>;

/** The precise type of a validated action call (the schema guaranteed it). */
export function asActionCall(call: LooseActionCall): ActionCall {
  return call as ActionCall;
}
