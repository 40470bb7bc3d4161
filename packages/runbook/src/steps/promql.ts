import { z } from 'zod';
import { defineStep } from './define-step.js';
import { assertionSchema, tlsOptionsSchema } from './http.js';
import { secretOr } from './secret-ref.js';

/**
 * An instant PromQL query against a Prometheus-compatible API, with an assertion over the
 * result. Read-only, so idempotent; usable on its own, as a waitUntil check, or as a guard.
 * The assertion sees `{ resultType, result, values }`: `result` as Prometheus returns it and
 * `values` the sample values as numbers (one per series; one for a scalar), e.g.
 * `$count(values) > 0 and $max(values) < 0.05`.
 */
export const promql = defineStep({
  type: 'promql',
  execution: 'action',
  category: 'actions',
  idempotent: true,
  pollable: true,
  config: z.object({
    /** Base URL of Prometheus, e.g. `http://prometheus:9090`. */
    url: z.string().min(1),
    query: z.string().min(1),
    /** Evaluation time (RFC 3339 or Unix seconds); now when left out. */
    time: z.string().optional(),
    assert: assertionSchema.optional(),
    headers: z.record(z.string(), secretOr(z.string())).default({}),
    tls: tlsOptionsSchema.optional(),
    timeoutMs: z.number().int().positive().default(10_000),
  }),
  output: z.object({
    resultType: z.enum(['vector', 'scalar', 'matrix', 'string']),
    result: z.unknown(),
    values: z.array(z.number()),
    durationMs: z.number(),
  }),
  meta: {
    label: 'PromQL check',
    icon: 'activity',
    description: 'Run an instant PromQL query and assert over the result.',
    fields: {
      url: { label: 'Prometheus URL', widget: 'text', placeholder: 'http://prometheus:9090' },
      query: { label: 'Query', widget: 'code', placeholder: 'sum(rate(http_requests_total{code=~"5.."}[5m]))' },
      assert: { label: 'Assertion (JSONata)', widget: 'code', help: 'Over { resultType, result, values }; must give true.' },
    },
  },
});
