import { z } from 'zod';
import { defineStep } from './define-step.js';
import { http } from './http.js';
import { postgresSql } from './postgres-sql.js';
import { promql } from './promql.js';
import { shell } from './shell.js';

/** The kinds waitUntil can poll: each a check that either holds (succeeds) or fails. */
export const waitUntilCheckSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('http'), config: http.config }),
  z.strictObject({ kind: z.literal('promql'), config: promql.config }),
  z.strictObject({ kind: z.literal('shell'), config: shell.config }),
  z.strictObject({ kind: z.literal('postgres.sql'), config: postgresSql.config }),
]);

/**
 * Polls a check until it holds or the deadline passes, heartbeating while it waits (give the
 * node a `heartbeat` policy so a lost worker is noticed). A check failure that retrying cannot
 * fix (invalid config, refused address, missing secret) ends the wait at once. As idempotent
 * as its check: use read-only checks.
 */
export const waitUntil = defineStep({
  type: 'waitUntil',
  execution: 'action',
  category: 'actions',
  idempotent: true,
  config: z.object({
    check: waitUntilCheckSchema,
    intervalMs: z.number().int().positive().default(5_000),
    /** How long to keep trying; keep it below the node's timeout. */
    timeoutMs: z.number().int().positive().default(600_000),
  }),
  output: z.object({
    polls: z.number().int(),
    waitedMs: z.number(),
    /** The output of the check that held. */
    output: z.unknown(),
  }),
  meta: {
    label: 'Wait until',
    icon: 'hourglass',
    description: 'Poll an HTTP, PromQL, shell or SQL check until it holds or a deadline passes.',
    fields: {
      check: { label: 'Check', help: 'A kind (http, promql, shell, postgres.sql) and its config.' },
      intervalMs: { label: 'Poll every (ms)', widget: 'number' },
      timeoutMs: { label: 'Give up after (ms)', widget: 'number' },
    },
  },
});
