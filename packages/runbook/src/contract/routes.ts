import { z } from 'zod';
import { checkpointIdSchema, nodeIdSchema } from '../document/runbook.js';
import { objectivesSchema } from '../document/objectives.js';
import { runStateSchema, checkpointDecisionSchema, failureActionSchema } from '../protocol/run-state.js';
import { defineRoute } from './define-route.js';
import { errorBodySchema } from './errors.js';
import { auditRoutes } from './audit-routes.js';
import { metaRoutes } from './meta-routes.js';
import { runbookEditRoutes, runbookPlanRoutes, runbookVersionRoutes } from './runbook-edit-routes.js';
import { scheduleRoutes } from './schedule-routes.js';
import { reportRoutes } from './report-routes.js';
import { runIdParams, runRoutes } from './run-routes.js';
import { tokenRoutes } from './token-routes.js';
import { triggerRoutes, webhookRoutes } from './trigger-routes.js';

const runbookIdParams = z.object({ runbookId: nodeIdSchema });
const problemSchema = z.object({ path: z.string(), message: z.string() });

export const runbookSummarySchema = z.object({
  id: z.string(),
  file: z.string(),
  title: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  owners: z.array(z.string()),
  planHash: z.string().optional(),
  problems: z.array(problemSchema),
  /** Names of the runbook's alert routes, webhooks and schedules. */
  triggers: z.object({ alerts: z.array(z.string()), webhooks: z.array(z.string()), schedules: z.array(z.string()) }).optional(),
  /** Present on drill runbooks: the RTO/RPO their drill reports are measured against. */
  objectives: objectivesSchema.optional(),
  lastRun: z.object({ runId: z.string(), status: z.string(), startTime: z.string(), trigger: z.string().optional() }).optional(),
});
export type RunbookSummary = z.infer<typeof runbookSummarySchema>;

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  temporal: z.object({ address: z.string(), namespace: z.string(), reachable: z.boolean() }),
});

export const startRunBodySchema = z.strictObject({
  params: z.record(z.string(), z.unknown()).default({}),
  /** Rehearsal: action nodes record what they would do and run nothing; checkpoints still wait. */
  dryRun: z.boolean().optional(),
});

export const runViewSchema = z.object({
  runId: z.string(),
  temporalStatus: z.string(),
  temporalUiUrl: z.string().optional(),
  state: runStateSchema,
});
export type RunView = z.infer<typeof runViewSchema>;

export const decideCheckpointBodySchema = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  /** The plan hash the decider saw; a decision for another version is refused. */
  planHash: z.string().min(1),
  comment: z.string().max(4_000).optional(),
  checklist: z.record(z.string(), z.unknown()).optional(),
  /** At a failure checkpoint: what to do about the failed node. */
  action: failureActionSchema.optional(),
  /** A checkpoint inside a forEach item: which item (needed once several items wait at the node). */
  itemKey: z.string().min(1).max(500).optional(),
});

export const routes = {
  health: defineRoute({
    method: 'GET',
    path: '/healthz',
    access: 'public',
    summary: 'Liveness and Temporal connectivity',
    responses: { 200: healthSchema, 503: healthSchema },
  }),
  listRunbooks: defineRoute({
    method: 'GET',
    path: '/api/runbooks',
    access: 'read',
    summary: 'Every runbook in the runbooks folder, with its problems if it has any',
    responses: { 200: z.object({ runbooks: z.array(runbookSummarySchema) }) },
  }),
  getRunbook: defineRoute({
    method: 'GET',
    path: '/api/runbooks/:runbookId',
    access: 'read',
    summary: 'One runbook with its source text; a file with problems comes back with them and `runbook: null`, so it can be opened and fixed',
    pathParams: runbookIdParams,
    responses: {
      200: z.object({
        runbook: z.record(z.string(), z.unknown()).nullable(),
        /** Empty when the file has problems. */
        planHash: z.string(),
        source: z.string(),
        problems: z.array(problemSchema),
      }),
      404: errorBodySchema,
      422: errorBodySchema,
    },
  }),
  startRun: defineRoute({
    method: 'POST',
    path: '/api/runbooks/:runbookId/runs',
    access: 'run',
    summary: 'Start a run with parameters',
    pathParams: runbookIdParams,
    body: startRunBodySchema,
    auditFields: ['dryRun'],
    responses: { 201: z.object({ runId: z.string(), planHash: z.string() }), 400: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 422: errorBodySchema },
  }),
  getRun: defineRoute({
    method: 'GET',
    path: '/api/runs/:runId',
    access: 'read',
    summary: 'Live state of a run: status per node, outputs, pending checkpoints',
    pathParams: runIdParams,
    responses: { 200: runViewSchema, 404: errorBodySchema },
  }),
  decideCheckpoint: defineRoute({
    method: 'POST',
    path: '/api/runs/:runId/checkpoints/:nodeId/decision',
    access: 'decide',
    summary: 'Approve or reject a pending checkpoint, with comment and checklist answers; at a failure checkpoint, choose the action (retry, skip, rollback, abort)',
    auditFields: ['decision', 'action', 'comment', 'itemKey'],
    // A node's checkpoint, or a forEach's gate between batches (`rollout.canary`, `rollout.batch-2`).
    pathParams: runIdParams.extend({ nodeId: checkpointIdSchema }),
    body: decideCheckpointBodySchema,
    responses: {
      200: z.object({ outcome: z.enum(['pending', 'approved', 'rejected', 'decided']), decision: checkpointDecisionSchema, action: failureActionSchema.optional() }),
      400: errorBodySchema,
      403: errorBodySchema,
      404: errorBodySchema,
      409: errorBodySchema,
    },
  }),
  ...runbookEditRoutes,
  ...runbookVersionRoutes,
  ...runbookPlanRoutes,
  ...runRoutes,
  ...tokenRoutes,
  ...auditRoutes,
  ...triggerRoutes,
  ...webhookRoutes,
  ...metaRoutes,
  ...scheduleRoutes,
  ...reportRoutes,
} as const;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
