import { z } from 'zod';
import { nodeIdSchema } from '../document/runbook.js';
import { pendingCheckpointSchema } from '../protocol/run-state.js';
import { defineRoute } from './define-route.js';
import { errorBodySchema } from './errors.js';

export const runIdParams = z.object({ runId: z.string().min(1).max(255) });
const isoTime = z.iso.datetime({ offset: true });

/** Temporal's execution statuses, in the spelling of its visibility queries. */
export const runListStatusSchema = z.enum(['Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'TimedOut', 'ContinuedAsNew']);
export const triggerTypeSchema = z.enum(['manual', 'alert', 'webhook', 'schedule']);

export const listRunsQuerySchema = z.strictObject({
  runbookId: nodeIdSchema.optional(),
  status: runListStatusSchema.optional(),
  trigger: triggerTypeSchema.optional(),
  /** Runs started at or after this time. */
  since: isoTime.optional(),
  /** Runs started before this time. */
  until: isoTime.optional(),
  /** `true`: only dry runs; `false`: only real runs. */
  dryRun: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const runSummarySchema = z.object({
  runId: z.string(),
  runbookId: z.string().optional(),
  trigger: z.string().optional(),
  planHash: z.string().optional(),
  status: z.string(),
  /** A rehearsal: its action nodes recorded what they would have done and ran nothing. */
  dryRun: z.boolean(),
  startTime: z.string(),
  closeTime: z.string().optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const runEventSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  type: z.string(),
  /** What happened, decoded: activity and node, signal or update name with its arguments, failure message. */
  details: z.record(z.string(), z.unknown()),
});
export type RunEvent = z.infer<typeof runEventSchema>;

export const inboxEntrySchema = pendingCheckpointSchema.extend({
  runId: z.string(),
  runbookId: z.string(),
  planHash: z.string(),
  startedBy: z.string(),
});
export type InboxEntry = z.infer<typeof inboxEntrySchema>;

/** The runbook a run executes, exactly as it started: runs are pinned to it, whatever the file says now. */
export const runRunbookSchema = z.object({
  runId: z.string(),
  runbook: z.record(z.string(), z.unknown()),
  planHash: z.string(),
});

/**
 * The run stream's events (server-sent events): `state` carries the same body as
 * `GET /api/runs/:runId`, first at once and then whenever it changes; `end` says the run closed.
 * A comment line keeps idle connections open through proxies.
 */
export const runStreamEvents = { state: 'state', end: 'end' } as const;

export const runRoutes = {
  listRuns: defineRoute({
    method: 'GET',
    path: '/api/runs',
    access: 'read',
    summary: 'List runs through Temporal visibility, newest first, filtered by runbook, status, trigger, start time and dry run',
    query: listRunsQuerySchema,
    responses: { 200: z.object({ runs: z.array(runSummarySchema) }), 400: errorBodySchema },
  }),
  cancelRun: defineRoute({
    method: 'POST',
    path: '/api/runs/:runId/cancel',
    access: 'run',
    summary: 'Request cancellation of a running run (rollback happens when the runbook says so)',
    pathParams: runIdParams,
    body: z.strictObject({ reason: z.string().max(1_000).default('') }),
    responses: { 202: z.object({ runId: z.string(), status: z.literal('cancel-requested') }), 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema },
  }),
  listRunEvents: defineRoute({
    method: 'GET',
    path: '/api/runs/:runId/events',
    access: 'read',
    summary: "A run's event timeline from its Temporal history: what happened, when, and who decided",
    pathParams: runIdParams,
    responses: { 200: z.object({ runId: z.string(), events: z.array(runEventSchema) }), 404: errorBodySchema },
  }),
  streamRun: defineRoute({
    method: 'GET',
    path: '/api/runs/:runId/stream',
    access: 'read',
    summary: "Follow a run live as server-sent events: `state` (the run's state, at once and on every change), then `end` when it closes",
    pathParams: runIdParams,
    contentType: 'text/event-stream',
    responses: { 200: z.string(), 404: errorBodySchema },
  }),
  getRunRunbook: defineRoute({
    method: 'GET',
    path: '/api/runs/:runId/runbook',
    access: 'read',
    summary: 'The runbook definition and plan hash the run started with, read from its start input',
    pathParams: runIdParams,
    responses: { 200: runRunbookSchema, 404: errorBodySchema, 409: errorBodySchema },
  }),
  listCheckpoints: defineRoute({
    method: 'GET',
    path: '/api/checkpoints',
    access: 'read',
    summary: 'The approvals inbox: every pending checkpoint of every running run',
    query: z.strictObject({ runbookId: nodeIdSchema.optional() }),
    responses: { 200: z.object({ checkpoints: z.array(inboxEntrySchema), unreachableRuns: z.array(z.string()) }), 400: errorBodySchema },
  }),
} as const;
