import { z } from 'zod';
import { checklistItemSchema } from '../steps/checkpoint.js';

export const nodeStatusSchema = z.enum(['pending', 'running', 'waiting', 'succeeded', 'failed', 'skipped', 'rolled-back']);
export type NodeStatus = z.infer<typeof nodeStatusSchema>;
/** A forEach item's status; `rolled-back`: it had succeeded and the run's rollback undid its completed nodes. */
export const itemStatusSchema = z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped', 'rolled-back']);
export type ItemStatus = z.infer<typeof itemStatusSchema>;
export const runStatusSchema = z.enum(['running', 'waiting', 'succeeded', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const checkpointDecisionSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  by: z.string(),
  at: z.string(),
  comment: z.string(),
  checklist: z.record(z.string(), z.unknown()),
});
export type CheckpointDecision = z.infer<typeof checkpointDecisionSchema>;

/** What a person may choose at a checkpoint the interpreter opened because a node failed (`onFailure: ask`). */
export const failureActionSchema = z.enum(['retry', 'skip', 'rollback', 'abort']);
export type FailureAction = z.infer<typeof failureActionSchema>;

/** A checkpoint waiting for people, as the editor's inbox and the API show it. */
export const pendingCheckpointSchema = z.object({
  nodeId: z.string(),
  title: z.string(),
  instructions: z.string(),
  checklist: z.array(checklistItemSchema),
  approvers: z.object({ roles: z.array(z.string()), users: z.array(z.string()) }),
  quorum: z.number().int(),
  fourEyes: z.boolean(),
  since: z.string(),
  approvals: z.array(checkpointDecisionSchema),
  /** `failure`: opened on the fly for a failed node; the decision carries one of `actions`. Absent: an approval. */
  kind: z.enum(['approval', 'failure']).optional(),
  actions: z.array(failureActionSchema).optional(),
  failure: z.object({ type: z.string(), message: z.string() }).optional(),
  /** When the checkpoint times out (absent: it waits for ever). */
  deadline: z.string().optional(),
  escalations: z.number().int().optional(),
  /**
   * Set when the checkpoint waits inside a forEach item (it runs in a batch child workflow): the
   * decision goes to this run with `nodeId` and `itemKey`, and the run hands the outcome on.
   */
  item: z.object({ forEachId: z.string(), key: z.string() }).optional(),
  /** Set when a forEach waits here between batches (its canary's or its `afterEachBatch` checkpoint): the batch it follows. */
  gate: z.object({ forEachId: z.string(), batch: z.number().int(), batches: z.number().int() }).optional(),
});
export type PendingCheckpoint = z.infer<typeof pendingCheckpointSchema>;

/**
 * A forEach's gate after one batch, as the run shows it: `observing` while its soak runs,
 * `waiting` for its checkpoint, then `passed` or `failed` (why in `error`); `abandoned` when the
 * run halted or wound down while it waited.
 */
export const batchGateStateSchema = z.object({
  /** As the inbox names its checkpoint: `<forEach>.canary` or `<forEach>.batch-<n>`. */
  id: z.string(),
  batch: z.number().int(),
  status: z.enum(['observing', 'waiting', 'passed', 'failed', 'abandoned']),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  /** Polls of the soak that passed, when it has one. */
  polls: z.number().int().optional(),
  /** The checkpoint's outcome and who decided, when it has one. */
  decision: z.object({ outcome: z.enum(['approved', 'rejected', 'timedOut']), by: z.array(z.string()) }).optional(),
  error: z.object({ type: z.string(), message: z.string() }).optional(),
});
export type BatchGateState = z.infer<typeof batchGateStateSchema>;

export const nodeStateSchema = z.object({
  status: nodeStatusSchema,
  /**
   * Every attempt the node has made, over all rounds: an action's activity attempts (its retry
   * policy), added up across the rounds a person started with "retry" at an `onFailure: ask`
   * checkpoint. Control nodes count one per round; a dry run counts none.
   */
  attempts: z.number().int(),
  /** Rounds a person started with "retry" after the node failed (absent: none). */
  retries: z.number().int().optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  /** Size-capped summary of the node's output. */
  output: z.unknown().optional(),
  error: z.object({ type: z.string(), message: z.string() }).optional(),
  /** forEach nodes: per-item progress. */
  progress: z
    .object({
      total: z.number().int(),
      batches: z.number().int(),
      batchesDone: z.number().int(),
      halted: z.boolean(),
      items: z.record(z.string(), itemStatusSchema),
      /** The batch child workflow running now; query it with `batchState` for item-by-item detail. */
      currentBatch: z.string().optional(),
      /** The gates passed or waiting so far, one per batch that has one, oldest first (absent: the forEach has no gates). */
      gates: z.array(batchGateStateSchema).optional(),
    })
    .optional(),
  /** Set when the node's output was taken over from the run this one resumes (it did not run again). */
  resumedFrom: z.string().optional(),
  /** Sub-runbook nodes: the child workflow holding their own state (query it with the same query). */
  child: z.object({ workflowId: z.string() }).optional(),
});
export type NodeState = z.infer<typeof nodeStateSchema>;

/** What the run's query returns: everything needed to draw the live overlay. */
export const runStateSchema = z.object({
  runbookId: z.string(),
  planHash: z.string(),
  status: runStatusSchema,
  startedBy: z.string(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  params: z.record(z.string(), z.unknown()),
  nodes: z.record(z.string(), nodeStateSchema),
  pendingCheckpoints: z.array(pendingCheckpointSchema),
  /** The run's concurrency key: `waiting` for another run to release it, `held`, or `refused`. */
  concurrency: z
    .object({ key: z.string(), status: z.enum(['waiting', 'held', 'refused', 'released']), holder: z.string().optional() })
    .optional(),
  /** The failed run this one resumes, and the node it restarts at. */
  resumedFrom: z.object({ workflowId: z.string(), node: z.string() }).optional(),
  /** A rehearsal: actions were recorded, not run. */
  dryRun: z.boolean().optional(),
  /**
   * Alerts the API refused to start another run for because this run holds the concurrency key
   * (the newest `heldBackAlertsKept`; `heldBackAlertsTotal` counts them all), so the person
   * watching this run sees that the problem fired again.
   */
  heldBackAlerts: z
    .array(z.object({ at: z.string(), route: z.string(), fingerprint: z.string(), startsAt: z.string(), labels: z.record(z.string(), z.string()), reason: z.string() }))
    .optional(),
  heldBackAlertsTotal: z.number().int().optional(),
  /** Set when the `alertResolved` signal arrived (whether it ended waiting steps depends on the runbook). */
  alertResolved: z.object({ receivedAt: z.string(), resolvedAt: z.string().optional(), endedWaiting: z.boolean() }).optional(),
  error: z.object({ nodeId: z.string().optional(), message: z.string() }).optional(),
});
export type RunState = z.infer<typeof runStateSchema>;

/** How many held-back alerts a run keeps in its state (the newest). */
export const heldBackAlertsKept = 20;

/** What a forEach batch child answers to the `batchState` query: each item's status and its nodes. */
export const forEachBatchStateSchema = z.object({
  items: z.record(z.string(), itemStatusSchema),
  nodes: z.record(z.string(), z.record(z.string(), nodeStateSchema)),
});
export type ForEachBatchState = z.infer<typeof forEachBatchStateSchema>;
