import { z } from 'zod';
import { defineStep } from './define-step.js';

export const http = defineStep({
  type: 'http',
  execution: 'action',
  category: 'actions',
  idempotent: false,
  config: z.object({
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    url: z.string().min(1),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.unknown().optional(),
    expectStatus: z.array(z.number().int().min(100).max(599)).min(1).default([200]),
    timeoutMs: z.number().int().positive().default(10_000),
    maxBodyBytes: z.number().int().positive().max(1_048_576).default(65_536),
  }),
  output: z.object({
    status: z.number().int(),
    headers: z.record(z.string(), z.string()),
    body: z.string(),
    json: z.unknown().optional(),
    truncated: z.boolean(),
    durationMs: z.number(),
  }),
  meta: {
    label: 'HTTP request',
    icon: 'globe',
    description: 'Call an HTTP endpoint and check the status it answers with.',
    fields: {
      url: { label: 'URL', widget: 'text', placeholder: 'https://service.internal/healthz' },
      headers: { label: 'Headers', widget: 'keyValue' },
      body: { label: 'Body (JSON)', widget: 'code', showWhen: { field: 'method', equals: ['POST', 'PUT', 'PATCH'] } },
      expectStatus: { label: 'Expected status codes', widget: 'list' },
    },
  },
});
