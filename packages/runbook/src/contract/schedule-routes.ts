import { z } from 'zod';
import { defineRoute } from './define-route.js';
import { errorBodySchema } from './errors.js';

const scheduleIdParams = z.object({
  scheduleId: z.string().regex(/^runwright:[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9-]*$/, 'runwright:<runbook id>:<schedule name>').max(150),
});

export const scheduleViewSchema = z.object({
  scheduleId: z.string(),
  runbookId: z.string(),
  name: z.string(),
  cron: z.array(z.string()),
  timezone: z.string().optional(),
  paused: z.boolean(),
  note: z.string().optional(),
  overlap: z.string(),
  catchupWindowSeconds: z.number(),
  nextRunsAt: z.array(z.string()),
  recentRuns: z.array(z.object({ runId: z.string(), scheduledAt: z.string() })),
});
export type ScheduleView = z.infer<typeof scheduleViewSchema>;

const syncReportSchema = z.object({
  created: z.array(z.string()),
  updated: z.array(z.string()),
  deleted: z.array(z.string()),
  problems: z.array(z.object({ scheduleId: z.string(), message: z.string() })),
});

/** The longest window one backfill may cover: a year of a minutely schedule would start half a million runs. */
export const maxBackfillDays = 31;

export const scheduleOverlapSchema = z.enum(['SKIP', 'BUFFER_ONE', 'BUFFER_ALL', 'CANCEL_OTHER', 'TERMINATE_OTHER', 'ALLOW_ALL']);

export const backfillBodySchema = z.strictObject({
  /** The window's start (inclusive) and end (exclusive), in the past: the schedule's times in it are run now. */
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
  /** Overlap policy for the backfilled runs; the schedule's own policy when left out. */
  overlap: scheduleOverlapSchema.optional(),
});

export const scheduleRoutes = {
  listSchedules: defineRoute({
    method: 'GET',
    path: '/api/schedules',
    access: 'read',
    summary: "Every runbook schedule as Temporal runs it: next times, recent runs, pause state",
    responses: { 200: z.object({ schedules: z.array(scheduleViewSchema) }) },
  }),
  syncSchedules: defineRoute({
    method: 'POST',
    path: '/api/schedules/sync',
    access: 'admin',
    summary: 'Bring Temporal Schedules in step with the runbook files now (it also happens periodically and after edits)',
    responses: { 200: syncReportSchema, 403: errorBodySchema },
  }),
  pauseSchedule: defineRoute({
    method: 'POST',
    path: '/api/schedules/:scheduleId/pause',
    access: 'run',
    summary: 'Pause or unpause a schedule, with a note saying why',
    pathParams: scheduleIdParams,
    body: z.strictObject({ paused: z.boolean(), note: z.string().max(1_000).default('') }),
    responses: { 200: scheduleViewSchema, 400: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema },
  }),
  triggerSchedule: defineRoute({
    method: 'POST',
    path: '/api/schedules/:scheduleId/trigger',
    access: 'run',
    summary: "Start the schedule's run now (a drill on demand), under its overlap policy",
    pathParams: scheduleIdParams,
    responses: { 202: z.object({ scheduleId: z.string(), triggered: z.literal(true) }), 403: errorBodySchema, 404: errorBodySchema },
  }),
  backfillSchedule: defineRoute({
    method: 'POST',
    path: '/api/schedules/:scheduleId/backfill',
    access: 'run',
    summary: `Run the schedule's times in a past window now (at most ${maxBackfillDays} days), e.g. drills missed while the service was down`,
    pathParams: scheduleIdParams,
    body: backfillBodySchema,
    responses: {
      202: z.object({ scheduleId: z.string(), start: z.string(), end: z.string(), overlap: z.string(), scheduledTimes: z.number().int() }),
      400: errorBodySchema,
      403: errorBodySchema,
      404: errorBodySchema,
    },
  }),
} as const;
