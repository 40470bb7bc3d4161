import { z } from 'zod';
import { nodeIdSchema } from '../document/runbook.js';
import { runStateSchema, checkpointDecisionSchema } from '../protocol/run-state.js';
import { defineRoute } from './define-route.js';
import { errorBodySchema } from './errors.js';

const runbookIdParams = z.object({ runbookId: nodeIdSchema });
const runIdParams = z.object({ runId: z.string().min(1).max(255) });
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
});
export type RunbookSummary = z.infer<typeof runbookSummarySchema>;

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  temporal: z.object({ address: z.string(), namespace: z.string(), reachable: z.boolean() }),
});

export const startRunBodySchema = z.strictObject({
  params: z.record(z.string(), z.unknown()).default({}),
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
});

export const routes = {
  health: defineRoute({
    method: 'GET',
    path: '/healthz',
    summary: 'Liveness and Temporal connectivity',
    responses: { 200: healthSchema, 503: healthSchema },
  }),
  listRunbooks: defineRoute({
    method: 'GET',
    path: '/api/runbooks',
    summary: 'Every runbook in the runbooks folder, with its problems if it has any',
    responses: { 200: z.object({ runbooks: z.array(runbookSummarySchema) }) },
  }),
  getRunbook: defineRoute({
    method: 'GET',
    path: '/api/runbooks/:runbookId',
    summary: 'One runbook, validated',
    pathParams: runbookIdParams,
    responses: {
      200: z.object({ runbook: z.record(z.string(), z.unknown()), planHash: z.string(), source: z.string() }),
      404: errorBodySchema,
      422: errorBodySchema,
    },
  }),
  startRun: defineRoute({
    method: 'POST',
    path: '/api/runbooks/:runbookId/runs',
    summary: 'Start a run with parameters',
    pathParams: runbookIdParams,
    body: startRunBodySchema,
    responses: { 201: z.object({ runId: z.string(), planHash: z.string() }), 400: errorBodySchema, 404: errorBodySchema, 422: errorBodySchema },
  }),
  getRun: defineRoute({
    method: 'GET',
    path: '/api/runs/:runId',
    summary: 'Live state of a run: status per node, outputs, pending checkpoints',
    pathParams: runIdParams,
    responses: { 200: runViewSchema, 404: errorBodySchema },
  }),
  decideCheckpoint: defineRoute({
    method: 'POST',
    path: '/api/runs/:runId/checkpoints/:nodeId/decision',
    summary: 'Approve or reject a pending checkpoint, with comment and checklist answers',
    pathParams: runIdParams.extend({ nodeId: nodeIdSchema }),
    body: decideCheckpointBodySchema,
    responses: {
      200: z.object({ outcome: z.enum(['pending', 'approved', 'rejected']), decision: checkpointDecisionSchema }),
      400: errorBodySchema,
      403: errorBodySchema,
      404: errorBodySchema,
      409: errorBodySchema,
    },
  }),
} as const;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
