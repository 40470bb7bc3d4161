import { z } from 'zod';
import { defineStep } from './define-step.js';
import { assertionSchema } from './http.js';
import { postgresConnectionSchema } from './postgres-connection.js';
import { secretOr } from './secret-ref.js';

/**
 * One SQL statement or check query. Values go in `params` ($1, $2…), never spliced into the
 * text. `readOnly` runs it in a read-only transaction, which makes a check safe to repeat;
 * otherwise whether a retry is safe depends on the statement, so the kind says not idempotent.
 */
export const postgresSql = defineStep({
  type: 'postgres.sql',
  execution: 'action',
  category: 'actions',
  idempotent: false,
  pollable: true,
  config: z.object({
    connection: postgresConnectionSchema,
    sql: z.string().min(1),
    params: z.array(z.union([secretOr(z.string()), z.number(), z.boolean(), z.null()])).default([]),
    readOnly: z.boolean().default(false),
    /** JSONata over `{ rows, rowCount }` that must give `true`, e.g. `rows[0].lag_bytes < 1048576`. */
    assert: assertionSchema.optional(),
    maxRows: z.number().int().positive().max(10_000).default(100),
    timeoutMs: z.number().int().positive().default(30_000),
  }),
  output: z.object({
    rowCount: z.number().int(),
    rows: z.array(z.record(z.string(), z.unknown())),
    fields: z.array(z.string()),
    truncated: z.boolean(),
    durationMs: z.number(),
  }),
  meta: {
    label: 'PostgreSQL query',
    icon: 'database',
    description: 'Run a SQL statement or a check query, with parameters and an assertion over the rows.',
    fields: {
      sql: { label: 'SQL', widget: 'code', role: 'code', valuesVia: 'params ($1, $2…)', help: 'Use $1, $2… for values; list them in params.' },
      params: { label: 'Parameters', widget: 'list' },
      assert: { label: 'Assertion (JSONata)', widget: 'code', help: 'Over { rows, rowCount }; must give true.' },
      readOnly: { label: 'Read-only', widget: 'switch' },
    },
  },
});
