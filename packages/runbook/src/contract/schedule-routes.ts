import { z } from 'zod';
import { defineRoute } from './define-route.js';
import { errorBodySchema } from './errors.js';
import { appliedScheduleOverrideSchema, scheduleOverrideSchema } from '../document/schedule-override.js';

const scheduleIdParams = z.object({
  scheduleId: z.string().regex(/^runwright:[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9-]*$/, 'runwright:<runbook id>:<schedule name>').max(150),
});

export const scheduleViewSchema = z.object({
  scheduleId: z.string(),
  runbookId: z.string(),
  name: z.string(),
  /** When it fires, as Temporal runs it (an override's cron or interval when there is one). */
  cron: z.array(z.string()),
  every: z.string().optional(),
  timezone: z.string().optional(),
  /** The parameters its runs start with: the runbook schedule's own, with an override's merged over them. */
  params: z.record(z.string(), z.unknown()).optional(),
  /** The schedule as the runbook file declares it, its parameters' defaults filled in (absent on schedules synced by older versions). */
  own: z.object({ cron: z.string(), timezone: z.string(), params: z.record(z.string(), z.unknown()), paused: z.boolean() }).optional(),
  /** The installation's override in effect, if any: what it changes, where it comes from, who set it and when. */
  override: appliedScheduleOverrideSchema.optional(),
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
  /** `path` says what is wrong, relative to the runbook's schedule (`params.target`) or to its override (`override.cron`). */
  problems: z.array(z.object({ scheduleId: z.string(), message: z.string(), path: z.string().optional() })),
});

export const clearedOverrideSchema = z.object({
  scheduleId: z.string(),
  /** What the schedule runs on now: the settings file's override, or the runbook's own spec. */
  now: z.enum(['settings', 'runbook']),
  /** Absent when Temporal holds no schedule for it (its runbook has problems, or no longer declares it). */
  schedule: scheduleViewSchema.optional(),
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
  setScheduleOverride: defineRoute({
    method: 'PUT',
    path: '/api/schedules/:scheduleId/override',
    access: 'admin',
    summary: "Override a schedule's cron or interval, time zone, parameters or pause state for this installation, without editing the runbook; replaces any earlier override set through the API",
    pathParams: scheduleIdParams,
    body: scheduleOverrideSchema,
    responses: { 200: scheduleViewSchema, 400: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 422: errorBodySchema },
  }),
  clearScheduleOverride: defineRoute({
    method: 'DELETE',
    path: '/api/schedules/:scheduleId/override',
    access: 'admin',
    summary: "Clear a schedule's override set through the API: it runs on the settings file's override, if any, or else on the runbook's own spec",
    pathParams: scheduleIdParams,
    responses: { 200: clearedOverrideSchema, 403: errorBodySchema, 404: errorBodySchema },
  }),
} as const;
