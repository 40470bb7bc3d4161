import { z } from 'zod';
import { defineStep } from './define-step.js';
import { secretOr } from './secret-ref.js';

/** Values may be secret references (`{ secret: NAME }`); they reach the program only as env. */
const envSchema = z.record(z.string(), secretOr(z.string())).default({});

/**
 * Not idempotent: the program can do anything. It gets the step's idempotency key as
 * `RUNWRIGHT_IDEMPOTENCY_KEY` (same for every attempt) to make itself safe to repeat.
 */
export const shell = defineStep({
  type: 'shell',
  execution: 'action',
  category: 'actions',
  idempotent: false,
  pollable: true,
  config: z
    .object({
      /** argv, run without a shell: `["systemctl", "reload", "nginx"]`. */
      command: z.array(z.string()).min(1).optional(),
      /** A script run by an explicit interpreter; parameters reach it only through `env`. */
      script: z.string().min(1).optional(),
      interpreter: z.array(z.string()).min(1).default(['/bin/sh', '-eu']),
      env: envSchema,
      cwd: z.string().optional(),
      /** Kill the program's whole process group when it runs longer (the node's timeout still applies). */
      timeoutMs: z.number().int().positive().optional(),
      expectExitCodes: z.array(z.number().int()).min(1).default([0]),
      maxOutputBytes: z.number().int().positive().max(1_048_576).default(65_536),
    })
    .refine((c) => (c.command === undefined) !== (c.script === undefined), {
      message: 'give exactly one of `command` (argv) or `script`',
      path: ['command'],
    }),
  output: z.object({
    exitCode: z.number().int(),
    stdout: z.string(),
    stderr: z.string(),
    truncated: z.boolean(),
    durationMs: z.number(),
  }),
  meta: {
    label: 'Shell command',
    icon: 'terminal',
    description: 'Run a program (argv, no shell) or a script with an explicit interpreter on the worker.',
    fields: {
      command: { label: 'Command (argv)', widget: 'list', help: 'Each entry is one argument; no shell is involved.' },
      script: { label: 'Script', widget: 'code', role: 'code', valuesVia: 'env, and read it as "$NAME"', help: 'Values reach the script only as environment variables.' },
      env: { label: 'Environment', widget: 'keyValue', help: 'A value may be a secret reference: { secret: NAME }.' },
      timeoutMs: { label: 'Kill after (ms)', widget: 'number' },
      expectExitCodes: { label: 'Expected exit codes', widget: 'list' },
    },
  },
});
