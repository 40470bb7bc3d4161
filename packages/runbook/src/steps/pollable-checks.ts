import { z } from 'zod';
import type { StepDefinition } from './define-step.js';

type AnyAction = StepDefinition<string, 'action', z.ZodType, z.ZodType, boolean>;

/** The kinds of a list that are marked `pollable`. */
export type PollableKind<Kinds extends Record<string, AnyAction>> = {
  [K in keyof Kinds]: NonNullable<Kinds[K]['pollable']> extends true ? K : never;
}[keyof Kinds];

/** One check: a pollable kind and its config. */
export type CheckOf<Kinds extends Record<string, AnyAction>> = {
  [K in PollableKind<Kinds>]: { kind: K; config: z.output<Kinds[K]['config']> };
}[PollableKind<Kinds>];

/** What a kind that waits on checks (waitUntil, a service's health) may poll. */
export interface PollableChecks<Kinds extends Record<string, AnyAction>> {
  schema: z.ZodType<CheckOf<Kinds>>;
  /** The pollable kinds, for help texts. */
  kinds: readonly string[];
}

/**
 * The checks a list of action kinds offers: every kind marked `pollable`, as a union keyed by
 * `kind`, so a new pollable kind is offered everywhere checks are without a second list.
 */
export function pollableChecksOf<Kinds extends Record<string, AnyAction>>(actions: Kinds): PollableChecks<Kinds> {
  const pollable = Object.values(actions).filter((kind) => kind.pollable === true);
  const schema = z.discriminatedUnion(
    'kind',
    pollable.map((kind) => z.strictObject({ kind: z.literal(kind.type), config: kind.config })) as unknown as [
      z.ZodObject<{ kind: z.ZodLiteral<string>; config: z.ZodType }>,
    ],
  ) as unknown as z.ZodType<CheckOf<Kinds>>;
  return { schema, kinds: pollable.map((kind) => kind.type) };
}
