import { z } from 'zod';
import { defineRoute } from './define-route.js';
import { errorBodySchema } from './errors.js';

export const auditRecordSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.object({
    user: z.string(),
    via: z.enum(['token', 'webhook', 'anonymous', 'system']),
    tokenId: z.string().optional(),
  }),
  from: z.object({ ip: z.string().optional(), userAgent: z.string().optional() }),
  /** A route name (`startRun`) or a webhook decision (`alert.started`, `alert.suppressed`…). */
  action: z.string(),
  target: z.record(z.string(), z.string()),
  outcome: z.string(),
  status: z.number().int().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  /** Hash of the previous record (`sha256:0…` for the first); `hash` covers this record and it. */
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;

export const auditChainSchema = z.object({
  ok: z.boolean(),
  records: z.number().int(),
  brokenAt: z.number().int().optional(),
  message: z.string().optional(),
});

const isoTime = z.iso.datetime({ offset: true });

export const auditQuerySchema = z.strictObject({
  action: z.string().max(100).optional(),
  actor: z.string().max(100).optional(),
  outcome: z.string().max(50).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const auditRoutes = {
  listAudit: defineRoute({
    method: 'GET',
    path: '/api/audit',
    access: 'admin',
    summary: 'The audit log, newest first, filtered; with the result of checking its hash chain',
    query: auditQuerySchema,
    responses: { 200: z.object({ records: z.array(auditRecordSchema), chain: auditChainSchema }), 400: errorBodySchema, 403: errorBodySchema },
  }),
} as const;
