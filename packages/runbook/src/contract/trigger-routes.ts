import { z } from 'zod';
import { defineRoute } from './define-route.js';
import { errorBodySchema } from './errors.js';

const time = z.iso.datetime({ offset: true });
const labelSet = z.record(z.string().max(200), z.string().max(4_000)).refine((labels) => Object.keys(labels).length <= 100, 'at most 100 labels');

/** Alertmanager's webhook payload, version 4. Everything in it is untrusted input. */
export const alertmanagerAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet,
  annotations: labelSet.default({}),
  startsAt: time,
  endsAt: time.optional(),
  generatorURL: z.string().max(4_000).default(''),
  fingerprint: z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'an alert fingerprint is 1 to 64 letters and digits'),
});
export type AlertmanagerAlert = z.infer<typeof alertmanagerAlertSchema>;

export const alertmanagerPayloadSchema = z.object({
  version: z.literal('4'),
  groupKey: z.string().max(4_000),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().max(200),
  groupLabels: labelSet.default({}),
  commonLabels: labelSet.default({}),
  commonAnnotations: labelSet.default({}),
  externalURL: z.string().max(4_000).default(''),
  alerts: z.array(alertmanagerAlertSchema).min(1).max(1_000),
});

/** What the receiver did with one alert for one matching route (or with an alert no route matched). */
export const alertDecisionSchema = z.object({
  fingerprint: z.string(),
  status: z.enum(['firing', 'resolved']),
  runbookId: z.string().optional(),
  route: z.string().optional(),
  decision: z.enum(['started', 'joined', 'suppressed', 'refused', 'resolved', 'unmatched']),
  runId: z.string().optional(),
  reason: z.string().optional(),
  /** Refused because this run holds the runbook's concurrency key; the run was told. */
  heldBy: z.string().optional(),
});
export type AlertDecision = z.infer<typeof alertDecisionSchema>;

export const alertSwitchSchema = z.object({ paused: z.boolean(), reason: z.string(), by: z.string(), at: z.string() });

export const triggerRoutes = {
  receiveAlerts: defineRoute({
    method: 'POST',
    path: '/api/hooks/alertmanager',
    access: 'run',
    summary: 'Alertmanager webhook receiver (payload v4): start, join or signal one run per alert and route',
    body: alertmanagerPayloadSchema,
    responses: {
      200: z.object({ decisions: z.array(alertDecisionSchema) }),
      400: errorBodySchema,
      401: errorBodySchema,
      403: errorBodySchema,
      503: errorBodySchema,
    },
  }),
  getAlertSwitch: defineRoute({
    method: 'GET',
    path: '/api/triggers/alerts',
    access: 'read',
    summary: 'Whether alert-triggered starts are paused',
    responses: { 200: alertSwitchSchema },
  }),
  setAlertSwitch: defineRoute({
    method: 'PUT',
    path: '/api/triggers/alerts',
    access: 'admin',
    summary: 'Pause or resume every alert-triggered start (paused alerts are recorded as suppressed)',
    body: z.strictObject({ paused: z.boolean(), reason: z.string().max(1_000).default('') }),
    responses: { 200: alertSwitchSchema, 400: errorBodySchema, 403: errorBodySchema },
  }),
} as const;

const hookParams = z.object({
  runbookId: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).max(64),
  hook: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).max(40),
});

export const webhookRoutes = {
  receiveWebhook: defineRoute({
    method: 'POST',
    path: '/api/hooks/webhooks/:runbookId/:hook',
    access: 'webhook',
    summary: 'Signed generic webhook (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature) that starts a runbook',
    pathParams: hookParams,
    // Any JSON: the signature is checked before the body is looked at.
    body: z.unknown(),
    responses: {
      202: z.object({ decision: z.enum(['started', 'joined']), runId: z.string() }),
      400: errorBodySchema,
      401: errorBodySchema,
      404: errorBodySchema,
      409: errorBodySchema,
      422: errorBodySchema,
    },
  }),
  rotateWebhookSecret: defineRoute({
    method: 'POST',
    path: '/api/triggers/webhooks/:runbookId/:hook/secret',
    access: 'admin',
    summary: "Create or replace a webhook's HMAC secret; shown in this answer only",
    pathParams: hookParams,
    responses: { 201: z.object({ runbookId: z.string(), hook: z.string(), secret: z.string() }), 403: errorBodySchema, 404: errorBodySchema },
  }),
} as const;
