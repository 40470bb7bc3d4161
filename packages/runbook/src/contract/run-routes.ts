import { z } from 'zod';
import { nodeIdSchema } from '../document/runbook.js';
import { pendingCheckpointSchema } from '../protocol/run-state.js';
import { defineRoute } from './define-route.js';
import { errorBodySchema } from './errors.js';

const runIdParams = z.object({ runId: z.string().min(1).max(255) });
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
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const runSummarySchema = z.object({
  runId: z.string(),
  runbookId: z.string().optional(),
  trigger: z.string().optional(),
  planHash: z.string().optional(),
  status: z.string(),
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

export const runRoutes = {
  listRuns: defineRoute({
    method: 'GET',
    path: '/api/runs',
    access: 'read',
    summary: 'List runs through Temporal visibility, newest first, filtered by runbook, status, trigger and start time',
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
  listCheckpoints: defineRoute({
    method: 'GET',
    path: '/api/checkpoints',
    access: 'read',
    summary: 'The approvals inbox: every pending checkpoint of every running run',
    query: z.strictObject({ runbookId: nodeIdSchema.optional() }),
    responses: { 200: z.object({ checkpoints: z.array(inboxEntrySchema), unreachableRuns: z.array(z.string()) }), 400: errorBodySchema },
  }),
} as const;
