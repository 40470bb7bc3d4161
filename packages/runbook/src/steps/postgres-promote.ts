import { z } from 'zod';
import { defineStep } from './define-step.js';
import { postgresConnectionSchema } from './postgres-connection.js';

/**
 * Promotes a streaming standby to primary with `pg_promote()` and waits until it accepts
 * writes. Idempotent: promoting a server that is already primary succeeds and says so
 * (`wasStandby: false`), unless `requireStandby` asks for a failure instead.
 */
export const postgresPromote = defineStep({
  type: 'postgres.promote',
  execution: 'action',
  category: 'actions',
  idempotent: true,
  config: z.object({
    /** The standby to promote; the user must be a superuser or granted pg_promote. */
    connection: postgresConnectionSchema,
    waitSeconds: z.number().int().positive().max(3_600).default(60),
    requireStandby: z.boolean().default(false),
  }),
  output: z.object({
    wasStandby: z.boolean(),
    promoted: z.boolean(),
    /** The timeline after promotion (a new one when promoted). */
    timeline: z.number().int(),
    lsn: z.string(),
    durationMs: z.number(),
  }),
  meta: {
    label: 'PostgreSQL promote',
    icon: 'arrow-up-circle',
    description: 'Promote a streaming standby to primary and wait until it accepts writes.',
    fields: {
      waitSeconds: { label: 'Wait for promotion (s)', widget: 'number' },
      requireStandby: { label: 'Fail if already primary', widget: 'switch' },
    },
  },
});
