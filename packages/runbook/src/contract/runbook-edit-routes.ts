import { z } from 'zod';
import { nodeIdSchema } from '../document/runbook.js';
import { defineRoute } from './define-route.js';
import { errorBodySchema } from './errors.js';

const problemSchema = z.object({ path: z.string(), message: z.string() });
/** YAML (or JSON) text, exactly as it will be stored: comments and layout survive. */
const sourceSchema = z.string().min(1).max(512 * 1024);

export const runbookEditRoutes = {
  validateRunbook: defineRoute({
    method: 'POST',
    path: '/api/runbooks/validate',
    access: 'read',
    safe: true,
    summary: 'Validate runbook source without saving it: every problem with its path',
    body: z.strictObject({ source: sourceSchema }),
    responses: { 200: z.object({ ok: z.boolean(), id: z.string().optional(), planHash: z.string().optional(), problems: z.array(problemSchema) }), 400: errorBodySchema },
  }),
  createRunbook: defineRoute({
    method: 'POST',
    path: '/api/runbooks',
    access: 'edit',
    summary: 'Create a runbook file from valid source; refused if the id exists',
    body: z.strictObject({ source: sourceSchema }),
    responses: { 201: z.object({ id: z.string(), file: z.string(), planHash: z.string() }), 400: errorBodySchema, 403: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema },
  }),
  updateRunbook: defineRoute({
    method: 'PUT',
    path: '/api/runbooks/:runbookId',
    access: 'edit',
    summary: "Replace a runbook's source (atomic write); optionally only if it still has the plan hash the editor loaded",
    pathParams: z.object({ runbookId: nodeIdSchema }),
    body: z.strictObject({ source: sourceSchema, expectedPlanHash: z.string().optional() }),
    responses: { 200: z.object({ id: z.string(), file: z.string(), planHash: z.string() }), 400: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema },
  }),
  deleteRunbook: defineRoute({
    method: 'DELETE',
    path: '/api/runbooks/:runbookId',
    access: 'edit',
    summary: 'Archive a runbook: its file moves to the .archive folder, nothing is lost',
    pathParams: z.object({ runbookId: nodeIdSchema }),
    responses: { 200: z.object({ id: z.string(), archivedAs: z.string() }), 403: errorBodySchema, 404: errorBodySchema },
  }),
} as const;

const versionSchema = z.object({ versionHash: z.string(), planHash: z.string().optional(), savedAt: z.string(), savedBy: z.string() });
const versionHash = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'a version or plan hash: sha256:<64 hex digits>');

export const runbookVersionRoutes = {
  listRunbookVersions: defineRoute({
    method: 'GET',
    path: '/api/runbooks/:runbookId/versions',
    access: 'read',
    summary: 'Every saved version of a runbook, oldest first, by content hash',
    pathParams: z.object({ runbookId: nodeIdSchema }),
    responses: { 200: z.object({ versions: z.array(versionSchema) }), 404: errorBodySchema },
  }),
  getRunbookVersion: defineRoute({
    method: 'GET',
    path: '/api/runbooks/:runbookId/versions/:planHash',
    access: 'read',
    summary: 'One saved version of a runbook: its source text and, when it validates, the parsed runbook; found by version hash or by plan hash (the latest version with that plan)',
    pathParams: z.object({ runbookId: nodeIdSchema, planHash: versionHash }),
    responses: {
      200: versionSchema.extend({
        source: z.string(),
        runbook: z.record(z.string(), z.unknown()).nullable(),
        problems: z.array(problemSchema),
      }),
      400: errorBodySchema,
      404: errorBodySchema,
    },
  }),
  diffRunbookVersions: defineRoute({
    method: 'GET',
    path: '/api/runbooks/:runbookId/diff',
    access: 'read',
    summary: 'Unified diff between two versions of a runbook',
    pathParams: z.object({ runbookId: nodeIdSchema }),
    query: z.strictObject({ from: versionHash, to: versionHash }),
    responses: { 200: z.object({ from: z.string(), to: z.string(), diff: z.string() }), 400: errorBodySchema, 404: errorBodySchema },
  }),
} as const;

export const runbookPlanRoutes = {
  previewRunbookPlan: defineRoute({
    method: 'POST',
    path: '/api/runbooks/:runbookId/plan',
    access: 'read',
    safe: true,
    summary: 'Plan preview (dry run): stages, what runs or is skipped, resolved configs, checkpoints, rollback plan — nothing is started',
    pathParams: z.object({ runbookId: nodeIdSchema }),
    body: z.strictObject({ params: z.record(z.string(), z.unknown()).default({}), alert: z.unknown().optional() }),
    responses: { 200: z.record(z.string(), z.unknown()), 400: errorBodySchema, 404: errorBodySchema, 422: errorBodySchema },
  }),
} as const;
