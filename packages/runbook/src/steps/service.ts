import { z } from 'zod';
import { defineStep } from './define-step.js';
import { sshConnectionSchema } from './ssh-connection.js';

/** The service managers the kind drives. `command` runs a command template on the worker (the kind's first form). */
export const serviceManagers = ['command', 'systemd', 'supervisor', 'runit'] as const;
export type ServiceManager = (typeof serviceManagers)[number];

/**
 * A unit, program or service folder name. It becomes one argv entry of the manager's command
 * (and, for runit, a path segment under the service folder), so it must not read as an option
 * (`-…`) or climb out of the folder (`..`): it starts with a letter, digit, `_` or `@`.
 */
export const serviceNamePattern = /^[A-Za-z0-9_@][A-Za-z0-9@._:-]*$/;

const absolutePath = z.string().regex(/^\/[^\0]*$/, 'an absolute path');

/**
 * start / stop / restart / reload / status / logs of a service, through a real manager on the
 * host that runs it: `systemd` (systemctl, journalctl), `supervisor` (supervisorctl) or `runit`
 * (sv, and svlogd's `current` file), reached over Runwright's own ssh connection (`ssh`: the host,
 * the login, the key as `{ secret }`, trust from pins or known_hosts — as the ssh kind). The
 * argv each manager runs is fixed by the kind and every value is one quoted argv entry, so no
 * shell ever reads the service name. `sudo` prefixes `sudo -n` for hosts where the login may only
 * drive the manager through sudo. `command` (the default, for runbooks written before managers)
 * runs a command template on the worker where `{action}` and `{service}` are replaced —
 * `systemctl {action} {service}` unless given.
 *
 * After start/stop/restart/reload an optional health check (any waitUntil check) is polled until
 * it holds. `status` reports `active` and the manager's own word for the state, and does not fail
 * on a stopped service; `logs` returns the service's last `lines` log lines (supervisorctl tail,
 * the runit log's `current`, journalctl -u). Idempotent: these verbs are (starting a running
 * service leaves it running).
 */
export function defineService<Check>(checks: { schema: z.ZodType<Check> }) {
  return defineStep({
    type: 'service',
    execution: 'action',
    category: 'actions',
    idempotent: true,
    config: z
      .object({
        service: z.string().regex(serviceNamePattern, 'a service name: letters, digits, @ . _ : - (starting with a letter, digit, _ or @)'),
        action: z.enum(['start', 'stop', 'restart', 'reload', 'status', 'logs']),
        manager: z.enum(serviceManagers).default('command'),
        /** Where the service runs, for every manager but `command`. */
        ssh: sshConnectionSchema.optional(),
        /** Run the manager's command through `sudo -n` (a sudoers rule must allow it without a password). */
        sudo: z.boolean().optional(),
        /** Used by the supervisor manager (ignored by the others). */
        supervisor: z
          .strictObject({
            /** supervisord's config file when it is not where supervisorctl looks by default (`-c`). */
            configFile: absolutePath.optional(),
          })
          .optional(),
        /** Used by the runit manager (ignored by the others). */
        runit: z
          .strictObject({
            /** The folder runsvdir watches (`/etc/service` on Debian). */
            serviceDir: absolutePath.default('/etc/service'),
            /** The service's svlogd folder, whose `current` file `logs` reads (`/var/log/runit/<service>` when absent). */
            logDir: absolutePath.optional(),
          })
          .optional(),
        /** For `logs`: how many of the last lines (100 when absent). */
        lines: z.number().int().min(1).max(10_000).optional(),
        /** For the `command` manager only: argv template run on the worker, no shell. */
        command: z.array(z.string()).min(1).optional(),
        health: z
          .strictObject({
            check: checks.schema,
            intervalMs: z.number().int().positive().default(1_000),
            timeoutMs: z.number().int().positive().default(60_000),
          })
          .optional(),
        timeoutMs: z.number().int().positive().default(120_000),
      })
      .superRefine((config, context) => {
        // A templated manager is checked once rendered, by the worker.
        if (!serviceManagers.includes(config.manager)) return;
        const remoteOnly = (field: 'ssh' | 'sudo' | 'supervisor' | 'runit') => {
          if (config[field] !== undefined) context.addIssue({ code: 'custom', path: [field], message: `\`${field}\` is for the systemd, supervisor and runit managers; \`command\` runs on the worker` });
        };
        if (config.manager === 'command') {
          (['ssh', 'sudo', 'supervisor', 'runit'] as const).forEach(remoteOnly);
          if (config.action === 'logs' && config.command === undefined) {
            context.addIssue({ code: 'custom', path: ['command'], message: 'the `command` manager reads logs only through a `command` template that prints them' });
          }
          return;
        }
        if (config.ssh === undefined) context.addIssue({ code: 'custom', path: ['ssh'], message: `the ${config.manager} manager acts on a host: give \`ssh\` (host, user, privateKey)` });
        if (config.command !== undefined) context.addIssue({ code: 'custom', path: ['command'], message: `the ${config.manager} manager runs its own fixed command; \`command\` is for the \`command\` manager` });
        // `supervisor` and `runit` settings may sit beside another manager: a runbook whose manager is a
        // parameter (one plan for hosts under systemd, supervisor or runit) gives each manager its paths.
      }),
    output: z.object({
      exitCode: z.number().int(),
      stdout: z.string(),
      stderr: z.string(),
      /** The argv that ran (on the host for remote managers, on the worker for `command`). */
      command: z.array(z.string()).optional(),
      /** The host acted on, and the key it presented (so an operator can pin it). */
      host: z.string().optional(),
      hostKey: z.string().optional(),
      /** For `status`: whether the manager says it runs, and its own word for the state (RUNNING, run, active…). */
      active: z.boolean().optional(),
      state: z.string().optional(),
      /** For `logs`: the last lines, oldest first. */
      lines: z.array(z.string()).optional(),
      /** Polls the health check needed, when there is one. */
      healthPolls: z.number().int().optional(),
    }),
    meta: {
      label: 'Service',
      icon: 'power',
      description: 'Start, stop, restart, reload, query or read the logs of a service through systemd, supervisor or runit on a host over SSH, then wait until it is healthy.',
      fields: {
        action: { label: 'Action', widget: 'select' },
        manager: { label: 'Service manager', widget: 'select', help: 'systemd, supervisor and runit act on the host given under ssh; command runs a template on the worker.' },
        ssh: { label: 'Host (SSH)', help: 'host, user, privateKey as { secret: NAME }, and hostKeys pins or a knownHostsFile.', showWhen: { field: 'manager', equals: ['systemd', 'supervisor', 'runit'] } },
        sudo: { label: 'Through sudo -n', widget: 'switch', showWhen: { field: 'manager', equals: ['systemd', 'supervisor', 'runit'] } },
        supervisor: { label: 'supervisord', showWhen: { field: 'manager', equals: ['supervisor'] } },
        runit: { label: 'runit folders', showWhen: { field: 'manager', equals: ['runit'] } },
        lines: { label: 'Log lines', widget: 'number', showWhen: { field: 'action', equals: ['logs'] } },
        command: { label: 'Command template', widget: 'list', help: '{action} and {service} are replaced; no shell is involved.', showWhen: { field: 'manager', equals: ['command'] } },
        health: { label: 'Health check afterwards' },
      },
    },
  });
}
