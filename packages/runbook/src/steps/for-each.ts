import { z } from 'zod';
import { checkpoint } from './checkpoint.js';
import { defineStep } from './define-step.js';
import { observeWindowSchema } from './observe.js';
import { countOrPercentSchema } from './timing.js';

export const forEachItemStatusSchema = z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped']);
export type ForEachItemStatus = z.infer<typeof forEachItemStatusSchema>;

/**
 * Runs a sub-graph once per item, in batches. The sub-graph is the nodes whose `parent` is this
 * node (and the edges between them); inside it `item` is the current item and `steps` holds the
 * outer graph's outputs plus this item's own.
 */
export const forEach = defineStep({
  type: 'forEach',
  execution: 'control',
  category: 'control',
  idempotent: false,
  config: z.object({
    /** JSONata giving the list of items (hosts, shards, sites). */
    items: z.string().min(1),
    /** JSONata over `item` naming it in state and logs; the item itself (text) or its position by default. */
    key: z.string().min(1).optional(),
    /** Items per batch; each batch runs as its own child workflow. */
    batchSize: countOrPercentSchema.default(1),
    /** Items running at once inside a batch; the batch size when absent. */
    maxConcurrency: z.number().int().positive().optional(),
    /** A first batch that must pass its own soak and sign-off before the rest goes. */
    canary: z
      .object({
        size: countOrPercentSchema.default(1),
        observe: observeWindowSchema.optional(),
        checkpoint: checkpoint.config.optional(),
      })
      .optional(),
    /**
     * A gate after every batch: a soak with guards and/or a sign-off (the seed's "watch each host,
     * fill in the inspection items, then go on"). The soak runs after every batch, the last one
     * included; the checkpoint only between batches (the plan's next node follows the last). After
     * the canary batch the canary's own `observe` and `checkpoint` stand in for these; a part the
     * canary lacks falls back to this one. Either failing halts the rollout like a failed node.
     * Rules in plan/batch-gates.ts. Strict, so a misspelt part is an error rather than no gate.
     */
    afterEachBatch: z
      .strictObject({
        observe: observeWindowSchema.optional(),
        checkpoint: checkpoint.config.optional(),
      })
      .refine((gate) => gate.observe !== undefined || gate.checkpoint !== undefined, {
        message: 'a gate needs an observe window, a checkpoint, or both',
      })
      .optional(),
    /** Failed items tolerated; one more halts the rollout (no new batch starts). */
    failureThreshold: countOrPercentSchema.default(0),
  }),
  output: z.object({
    total: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    halted: z.boolean(),
    /** Failed items and why; every item's status is in the node's live `progress`. */
    failures: z.array(z.object({ key: z.string(), error: z.string() })),
  }),
  meta: {
    label: 'For each',
    icon: 'repeat',
    description: 'Run the nodes inside it once per item, in batches, with a canary, a gate after each batch and a failure threshold.',
    fields: {
      items: { label: 'Items (JSONata)', widget: 'code', role: 'expression', placeholder: 'params.hosts' },
      key: { label: 'Item key (JSONata)', widget: 'code', role: 'expression', placeholder: 'item.host' },
      batchSize: { label: 'Batch size (count or %)', widget: 'text' },
      failureThreshold: { label: 'Failures tolerated (count or %)', widget: 'text' },
      canary: { label: 'Canary batch', help: 'A first batch with its own soak and sign-off before the rest goes.' },
      afterEachBatch: {
        label: 'Gate after each batch',
        help: 'A soak with guards (after every batch, the last too) and/or a checkpoint (between batches). A failing guard or a rejection halts the rollout; onFailure decides what follows.',
      },
    },
  },
});
