import { z } from 'zod';
import { actionCallSchema } from '../document/action-call.js';
import { defineStep } from './define-step.js';
import { durationOrTemplateSchema } from './timing.js';

export const checklistItemSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _'),
  label: z.string().min(1),
  /** `tick`: a box to tick; the others are typed answers. */
  type: z.enum(['tick', 'text', 'number', 'boolean']).default('tick'),
  required: z.boolean().default(true),
});
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

export const checkpoint = defineStep({
  type: 'checkpoint',
  execution: 'control',
  category: 'human',
  idempotent: true,
  config: z.object({
    title: z.string().min(1),
    instructions: z.string().default(''),
    approvers: z
      .object({
        roles: z.array(z.string()).default(['approver', 'admin']),
        users: z.array(z.string()).default([]),
      })
      .default({ roles: ['approver', 'admin'], users: [] }),
    /** How many distinct approvals the decision needs (N of M). */
    quorum: z.number().int().positive().default(1),
    /** The person who started the run may not approve it. */
    fourEyes: z.boolean().default(false),
    checklist: z.array(checklistItemSchema).default([]),
    /** How long to wait for a decision; forever when absent. */
    timeout: durationOrTemplateSchema.optional(),
    /** On timeout: fail the node, continue as if approved (outcome `timedOut`), or escalate and wait again. */
    onTimeout: z.enum(['fail', 'continue', 'escalate']).default('fail'),
    /** The action that escalates (a notify-like http or shell call); run at each timeout when escalating. */
    escalate: actionCallSchema.optional(),
  }),
  output: z.object({
    outcome: z.enum(['approved', 'rejected', 'timedOut']),
    decisions: z.array(
      z.object({
        decision: z.enum(['approve', 'reject']),
        by: z.string(),
        at: z.string(),
        comment: z.string(),
        checklist: z.record(z.string(), z.unknown()),
      }),
    ),
    /** Times the escalation action ran before the outcome. */
    escalations: z.number().int().optional(),
  }),
  meta: {
    label: 'Checkpoint',
    icon: 'user-check',
    description: 'Pause until a person allowed to decide fills in the checklist and approves.',
    fields: {
      instructions: { label: 'Instructions', widget: 'textarea' },
      checklist: { label: 'Inspection checklist', widget: 'checklist' },
      fourEyes: { label: 'Four eyes (the starter may not approve)', widget: 'switch' },
    },
  },
});
