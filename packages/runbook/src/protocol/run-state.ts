import { z } from 'zod';
import { checklistItemSchema } from '../steps/checkpoint.js';

export const nodeStatusSchema = z.enum(['pending', 'running', 'waiting', 'succeeded', 'failed', 'skipped', 'rolled-back']);
export type NodeStatus = z.infer<typeof nodeStatusSchema>;
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
});
export type PendingCheckpoint = z.infer<typeof pendingCheckpointSchema>;

export const nodeStateSchema = z.object({
  status: nodeStatusSchema,
  attempts: z.number().int(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  /** Size-capped summary of the node's output. */
  output: z.unknown().optional(),
  error: z.object({ type: z.string(), message: z.string() }).optional(),
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
  error: z.object({ nodeId: z.string().optional(), message: z.string() }).optional(),
});
export type RunState = z.infer<typeof runStateSchema>;
