import { z } from 'zod';
import { defineStep } from './define-step.js';

/**
 * Polls a check until it holds or the deadline passes, heartbeating while it waits (give the
 * node a `heartbeat` policy so a lost worker is noticed). A check failure that retrying cannot
 * fix (invalid config, refused address, missing secret) ends the wait at once. As idempotent
 * as its check: use read-only checks. Built over the pollable kinds of the action list.
 */
export function defineWaitUntil<Check>(checks: { schema: z.ZodType<Check>; kinds: readonly string[] }) {
  const listed = checks.kinds.join(', ');
  return defineStep({
    type: 'waitUntil',
    execution: 'action',
    category: 'actions',
    idempotent: true,
    config: z.object({
      check: checks.schema,
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
      description: `Poll a check (${listed}) until it holds or a deadline passes.`,
      fields: {
        check: { label: 'Check', help: `A kind (${listed}) and its config.` },
        intervalMs: { label: 'Poll every (ms)', widget: 'number' },
        timeoutMs: { label: 'Give up after (ms)', widget: 'number' },
      },
    },
  });
}
