import { z } from 'zod';
import { actionCallSchema } from '../document/action-call.js';
import { defineStep } from './define-step.js';
import { durationOrTemplateSchema } from './timing.js';

/** A check polled during the soak window: an action kind run as its activity; failing = the activity failed. */
export const guardSchema = z.strictObject({
  name: z.string().min(1),
  check: actionCallSchema,
});

export const observeWindowSchema = z.object({
  duration: durationOrTemplateSchema,
  interval: durationOrTemplateSchema.default('30s'),
  guards: z.array(guardSchema).default([]),
});
export type ObserveWindow = z.output<typeof observeWindowSchema>;

export const observe = defineStep({
  type: 'observe',
  execution: 'control',
  category: 'control',
  idempotent: true,
  config: observeWindowSchema,
  output: z.object({
    /** How many polls ran, every guard passing. */
    polls: z.number().int(),
    windowMs: z.number(),
  }),
  meta: {
    label: 'Observe',
    icon: 'eye',
    description: 'Soak for a while, polling guard checks; a failing guard fails the node at once.',
    fields: {
      duration: { label: 'Soak window', widget: 'text', placeholder: '10m' },
      interval: { label: 'Poll every', widget: 'text', placeholder: '30s' },
      guards: { label: 'Guards', widget: 'list', help: 'Each guard is an action (http, shell, promql) that must succeed.' },
    },
  },
});
