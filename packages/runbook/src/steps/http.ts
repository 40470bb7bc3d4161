import { z } from 'zod';
import { parseExpression } from '../expressions/template.js';
import { defineStep } from './define-step.js';
import { secretOr } from './secret-ref.js';

/** A JSONata expression, checked for syntax when the runbook is loaded. */
export const assertionSchema = z.string().min(1).refine((source) => parseExpression(source).ok, {
  message: 'not a valid JSONata expression',
});

export const tlsOptionsSchema = z.strictObject({
  /** PEM file on the worker with the CAs to trust for this endpoint. */
  caFile: z.string().min(1).optional(),
  /** Accept any certificate (labs only). */
  insecureSkipVerify: z.boolean().default(false),
  serverName: z.string().optional(),
});

/**
 * Not idempotent in general (POST); every request carries the step's `idempotency-key` header
 * (same for every attempt) so a server that honours it makes retries safe. The worker refuses
 * loopback, private, link-local and metadata addresses unless its RUNWRIGHT_OUTBOUND_ALLOW allows
 * them, on every redirect hop and after DNS resolution.
 */
export const http = defineStep({
  type: 'http',
  execution: 'action',
  category: 'actions',
  idempotent: false,
  pollable: true,
  config: z.object({
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    url: z.string().min(1),
    /** Values may be secret references, e.g. `authorization: { secret: API_TOKEN }`. */
    headers: z.record(z.string(), secretOr(z.string())).default({}),
    /** JSON (or text); `{ secret: NAME }` anywhere inside is replaced on the worker. */
    body: z.unknown().optional(),
    expectStatus: z.array(z.number().int().min(100).max(599)).min(1).default([200]),
    /** JSONata over `{ status, headers, json, body }` that must give `true`, e.g. `json.replicas = json.ready`. */
    assert: assertionSchema.optional(),
    followRedirects: z.boolean().default(true),
    maxRedirects: z.number().int().min(0).max(20).default(5),
    tls: tlsOptionsSchema.optional(),
    timeoutMs: z.number().int().positive().default(10_000),
    maxBodyBytes: z.number().int().positive().max(1_048_576).default(65_536),
  }),
  output: z.object({
    status: z.number().int(),
    headers: z.record(z.string(), z.string()),
    body: z.string(),
    json: z.unknown().optional(),
    truncated: z.boolean(),
    /** The URL that answered, after redirects. */
    url: z.string(),
    redirects: z.array(z.string()),
    durationMs: z.number(),
  }),
  meta: {
    label: 'HTTP request',
    icon: 'globe',
    description: 'Call an HTTP endpoint, check the status it answers with and assert on its JSON.',
    fields: {
      url: { label: 'URL', widget: 'text', placeholder: 'https://service.internal/healthz' },
      headers: { label: 'Headers', widget: 'keyValue', help: 'A value may be a secret reference: { secret: NAME }.' },
      body: { label: 'Body (JSON)', widget: 'code', showWhen: { field: 'method', equals: ['POST', 'PUT', 'PATCH'] } },
      expectStatus: { label: 'Expected status codes', widget: 'list' },
      assert: { label: 'Assertion (JSONata)', widget: 'code', help: 'Over { status, headers, json, body }; must give true.' },
    },
  },
});
