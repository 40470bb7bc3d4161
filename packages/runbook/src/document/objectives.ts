import { z } from 'zod';

/**
 * What a drill measures itself against. A runbook with objectives is a drill runbook: every
 * run of it gets a report comparing the measured recovery against these figures.
 *
 * Node ids are plain strings here (not `nodeIdSchema`, which lives in runbook.ts and would
 * make the two modules import each other); `check-objectives.ts` proves they name nodes.
 */
export const objectivesSchema = z.strictObject({
  /** Recovery time objective: at most this many seconds from the start of recovery until `recoveredAt` succeeded. */
  rtoSeconds: z.number().nonnegative().optional(),
  /** Recovery point objective: at most this many seconds of data may be lost. */
  rpoSeconds: z.number().nonnegative().optional(),
  /** The node whose success marks the service recovered (its end stops the recovery clock). */
  recoveredAt: z.string().min(1),
  /** The node whose start starts the recovery clock; the run's start (its trigger time) when absent. */
  recoveryStartsAt: z.string().min(1).optional(),
  /** A `{{ expression }}` over step outputs giving the seconds of data lost (e.g. from a marker row). */
  dataLossSeconds: z.string().min(1).optional(),
});
export type Objectives = z.infer<typeof objectivesSchema>;
