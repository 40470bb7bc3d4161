import { z } from 'zod';
import { nodeIdSchema } from '../document/runbook.js';
import { objectivesSchema } from '../document/objectives.js';
import { drillReportSchema, drillSummarySchema } from '../report/drill-report-schema.js';
import { defineRoute } from './define-route.js';
import { errorBodySchema } from './errors.js';
import { runIdParams } from './run-routes.js';

/** The error code of a report asked for a run whose runbook has no objectives. */
export const notADrillError = 'not_a_drill';

/** Drill reports: a run of a runbook with `objectives` measured against them (409 `not_a_drill` otherwise). */
export const reportRoutes = {
  getDrillReport: defineRoute({
    method: 'GET',
    path: '/api/runs/:runId/report',
    access: 'read',
    summary: "A drill run's report: measured recovery time and data loss against the objectives, timeline, deviations",
    pathParams: runIdParams,
    responses: { 200: drillReportSchema, 404: errorBodySchema, 409: errorBodySchema },
  }),
  getDrillReportMarkdown: defineRoute({
    method: 'GET',
    path: '/api/runs/:runId/report.md',
    access: 'read',
    summary: "A drill run's report as Markdown",
    pathParams: runIdParams,
    contentType: 'text/markdown; charset=utf-8',
    responses: { 200: z.string(), 404: errorBodySchema, 409: errorBodySchema },
  }),
  getDrillReportHtml: defineRoute({
    method: 'GET',
    path: '/api/runs/:runId/report.html',
    access: 'read',
    summary: "A drill run's report as a self-contained HTML page",
    pathParams: runIdParams,
    contentType: 'text/html; charset=utf-8',
    responses: { 200: z.string(), 404: errorBodySchema, 409: errorBodySchema },
  }),
  listDrills: defineRoute({
    method: 'GET',
    path: '/api/runbooks/:runbookId/drills',
    access: 'read',
    summary: "A drill runbook's drills, newest first, with measured recovery time, data loss and verdict",
    pathParams: z.object({ runbookId: nodeIdSchema }),
    responses: {
      200: z.object({ runbookId: z.string(), objectives: objectivesSchema, drills: z.array(drillSummarySchema) }),
      404: errorBodySchema,
      409: errorBodySchema,
      422: errorBodySchema,
    },
  }),
} as const;
