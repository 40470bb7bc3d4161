import { z } from 'zod';
import { defineStep } from './define-step.js';
import { assertionSchema } from './http.js';
import { postgresConnectionSchema } from './postgres-connection.js';

/**
 * `pg_dump -Fc` of one database into a folder on the worker, then proof that it restores: the
 * dump is restored into a scratch database on the same server and every table's row count is
 * compared with the counts taken in the very snapshot pg_dump used; an optional query checks
 * more. Only a verified dump gets its final name (`<prefix>-<UTC time>.dump`, with a `.sha256`
 * beside it) and counts for retention; a dump that fails verification is renamed `.failed`
 * and the step fails. Idempotent in effect: a repeat makes another verified dump, and
 * retention keeps the newest N.
 */
export const postgresBackup = defineStep({
  type: 'postgres.backup',
  execution: 'action',
  category: 'actions',
  idempotent: true,
  config: z.object({
    /** The database to back up; the user needs CREATEDB for the scratch restore. */
    connection: postgresConnectionSchema,
    targetDir: z.string().min(1),
    /** File name prefix; the database name when left out. */
    prefix: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ., _ and -').optional(),
    verify: z
      .object({
        /** Compare every table's row count in the restored copy with the dump's snapshot. */
        rowCounts: z.boolean().default(true),
        /** A query run on the restored copy… */
        query: z.string().min(1).optional(),
        /** …and JSONata over `{ rows }` that must give `true`. */
        assert: assertionSchema.optional(),
      })
      .default({ rowCounts: true }),
    /** Keep this many newest verified dumps with this prefix; older ones are deleted. */
    keep: z.number().int().positive().optional(),
    /** Folder of pg_dump / pg_restore; from PATH when left out. */
    binDir: z.string().min(1).optional(),
    timeoutMs: z.number().int().positive().default(3_600_000),
  }),
  output: z.object({
    file: z.string(),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    durationMs: z.number(),
    verified: z.literal(true),
    tables: z.record(z.string(), z.number().int()),
    removed: z.array(z.string()),
  }),
  meta: {
    label: 'PostgreSQL backup',
    icon: 'archive',
    description: 'Dump a database, prove the dump restores and matches, and keep the newest N.',
    fields: {
      targetDir: { label: 'Target folder (on the worker)', widget: 'text' },
      keep: { label: 'Keep newest', widget: 'number' },
      verify: { label: 'Verification' },
    },
  },
});
