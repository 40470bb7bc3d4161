import { z } from 'zod';
import { defineStep } from './define-step.js';

const envSchema = z.record(z.string(), z.string()).default({});

export const shell = defineStep({
  type: 'shell',
  execution: 'action',
  category: 'actions',
  idempotent: false,
  config: z
    .object({
      /** argv, run without a shell: `["systemctl", "reload", "nginx"]`. */
      command: z.array(z.string()).min(1).optional(),
      /** A script run by an explicit interpreter; parameters reach it only through `env`. */
      script: z.string().min(1).optional(),
      interpreter: z.array(z.string()).min(1).default(['/bin/sh', '-eu']),
      env: envSchema,
      cwd: z.string().optional(),
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
      script: { label: 'Script', widget: 'code', help: 'Values reach the script only as environment variables.' },
      env: { label: 'Environment', widget: 'keyValue' },
      expectExitCodes: { label: 'Expected exit codes', widget: 'list' },
    },
  },
});
