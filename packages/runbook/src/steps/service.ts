import { z } from 'zod';
import { defineStep } from './define-step.js';

/**
 * start / stop / restart / reload / status of a service through a command template (argv, no
 * shell) where `{action}` and `{service}` are replaced — `systemctl {action} {service}` by
 * default, so any manager with systemd-style verbs fits. After acting, an optional health
 * check (any waitUntil check) is polled until it holds. Idempotent: these verbs are (starting
 * a running service leaves it running). `status` reports `active` and does not fail on an
 * inactive service. Built over the pollable kinds of the action list (its health checks).
 */
export function defineService<Check>(checks: { schema: z.ZodType<Check> }) {
  return defineStep({
  type: 'service',
  execution: 'action',
  category: 'actions',
  idempotent: true,
  config: z.object({
    service: z.string().regex(/^[A-Za-z0-9@._:-]+$/, 'a service name (letters, digits, @ . _ : -)'),
    action: z.enum(['start', 'stop', 'restart', 'reload', 'status']),
    command: z.array(z.string()).min(1).default(['systemctl', '{action}', '{service}']),
    health: z
      .strictObject({
        check: checks.schema,
        intervalMs: z.number().int().positive().default(1_000),
        timeoutMs: z.number().int().positive().default(60_000),
      })
      .optional(),
    timeoutMs: z.number().int().positive().default(120_000),
  }),
  output: z.object({
    exitCode: z.number().int(),
    stdout: z.string(),
    stderr: z.string(),
    /** For `status`: whether the manager says it runs (exit code 0). */
    active: z.boolean().optional(),
    /** Polls the health check needed, when there is one. */
    healthPolls: z.number().int().optional(),
  }),
  meta: {
    label: 'Service',
    icon: 'power',
    description: 'Start, stop, restart, reload or query a service, then wait until it is healthy.',
    fields: {
      action: { label: 'Action', widget: 'select' },
      command: { label: 'Command template', widget: 'list', help: '{action} and {service} are replaced; no shell is involved.' },
      health: { label: 'Health check afterwards' },
    },
  },
});
}
