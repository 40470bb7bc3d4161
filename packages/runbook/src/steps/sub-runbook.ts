import { z } from 'zod';
import { runbookIdSchema } from '../document/ids.js';
import { defineStep } from './define-step.js';

/** Runs another runbook as a child workflow; the run's input carries its definition (resolved at start). */
export const subRunbook = defineStep({
  type: 'subRunbook',
  execution: 'control',
  category: 'control',
  idempotent: false,
  config: z.object({
    /** The id of the runbook to start (an id, never a path: the API reads it as `<id>.yaml` in its folder). */
    runbook: runbookIdSchema,
    /** Its parameters; values may be `{{ expressions }}` over this run's scope. */
    params: z.record(z.string(), z.unknown()).default({}),
  }),
  output: z.object({
    workflowId: z.string(),
    runbookId: z.string(),
    planHash: z.string(),
    status: z.string(),
  }),
  meta: {
    label: 'Sub-runbook',
    icon: 'layers',
    description: 'Start another runbook as a child run and wait for it to finish.',
    fields: {
      runbook: { label: 'Runbook id', widget: 'text' },
      params: { label: 'Parameters', widget: 'keyValue' },
    },
  },
});
