import { z } from 'zod';
import { defineStep } from './define-step.js';
import { secretOr } from './secret-ref.js';
import { hasOneSshKey, oneSshKeyIssue, sshHostSchema, sshLoginFields, sshLoginHints } from './ssh-connection.js';

export const sshHostResultSchema = z.object({
  host: z.string(),
  /** Absent when the command never ran (unreachable, refused key, failed login). */
  exitCode: z.number().int().optional(),
  stdout: z.string(),
  stderr: z.string(),
  truncated: z.boolean(),
  /** The key the host presented, so an operator can pin it. */
  hostKey: z.string().optional(),
  durationMs: z.number(),
  error: z.object({ type: z.string(), message: z.string() }).optional(),
});

/**
 * Runs one command on many hosts over SSH with key authentication. A host's key is trusted when
 * it matches its pin in `hostKeys` or, for hosts without a pin (hosts from alert labels cannot be
 * pinned in the runbook), an entry for the host in an OpenSSH known_hosts file: the step's
 * `knownHostsFile`, else the worker's RUNWRIGHT_SSH_KNOWN_HOSTS. A host whose key differs from
 * its pin or from the keys the file lists is always refused, and so is a key marked `@revoked`;
 * a host neither pinned nor listed is refused unless `acceptUnknownHosts` is set. Not idempotent: a retry runs
 * the command again on every host; the idempotency key reaches it as RUNWRIGHT_IDEMPOTENCY_KEY.
 * argv entries and env values are single-quoted for the remote shell, so they stay data.
 */
export const ssh = defineStep({
  type: 'ssh',
  execution: 'action',
  category: 'actions',
  idempotent: false,
  config: z
    .object({
      hosts: z.array(sshHostSchema).min(1),
      ...sshLoginFields,
      /** argv, each entry quoted for the remote shell. */
      command: z.array(z.string()).min(1).optional(),
      /** A script for the remote `sh`; parameters reach it only through `env`. */
      script: z.string().min(1).optional(),
      env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), secretOr(z.string())).default({}),
      parallelism: z.number().int().positive().max(100).default(5),
      expectExitCodes: z.array(z.number().int()).min(1).default([0]),
      /** Per host, from connecting to the end of the command. */
      timeoutMs: z.number().int().positive().optional(),
      maxOutputBytes: z.number().int().positive().max(1_048_576).default(65_536),
    })
    .refine((c) => (c.command === undefined) !== (c.script === undefined), {
      message: 'give exactly one of `command` (argv) or `script`',
      path: ['command'],
    })
    .refine(hasOneSshKey, oneSshKeyIssue),
  output: z.object({
    hosts: z.array(sshHostResultSchema),
    succeeded: z.number().int(),
    failed: z.number().int(),
  }),
  meta: {
    label: 'SSH command',
    icon: 'server',
    description: 'Run a command on one or many hosts over SSH, with host keys pinned or checked against known_hosts, and a parallelism limit.',
    fields: {
      hosts: { label: 'Hosts', widget: 'list', placeholder: 'db-1.internal:22' },
      ...sshLoginHints,
      command: { label: 'Command (argv)', widget: 'list' },
      script: { label: 'Script', widget: 'code', role: 'code', valuesVia: 'env, and read it as "$NAME"' },
      env: { label: 'Environment', widget: 'keyValue' },
      parallelism: { label: 'Hosts at a time', widget: 'number' },
    },
  },
});
