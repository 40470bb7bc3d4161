import { z } from 'zod';
import { defineStep } from './define-step.js';

/**
 * Chooses paths: the expression's value activates the outgoing edges whose `label` equals it
 * (or the edges labelled `default` when none does); every other path is skipped.
 */
export const branch = defineStep({
  type: 'branch',
  execution: 'control',
  category: 'control',
  idempotent: true,
  config: z.object({
    /** JSONata over params, steps, run, item; its value (as text) names the edge label to take. */
    expression: z.string().min(1),
  }),
  output: z.object({
    value: z.unknown(),
    /** The labels whose edges were activated. */
    taken: z.array(z.string()),
  }),
  meta: {
    label: 'Branch',
    icon: 'git-branch',
    description: 'Take the outgoing edges whose label matches the value of an expression; skip the others.',
    fields: {
      expression: { label: 'Expression (JSONata)', widget: 'code', role: 'expression', placeholder: "params.mode = 'fast' ? 'fast' : 'safe'" },
    },
  },
});

/** The label of the edges taken when no other label matches. */
export const defaultBranchLabel = 'default';
