import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LoginUser } from './login-user.js';
import { programNamePattern, shQuote, type LabProgram, type Supervisor, type SupervisorFolders } from './supervisor.js';

const run = promisify(execFile);

/** supervisor's config is read by Python's ConfigParser, where `%` starts an interpolation. */
const iniValue = (text: string) => text.replaceAll('%', '%%');

/** Where Debian keeps supervisord's config; every lab host sees its own there (its `etc/supervisor` bound on it). */
export const supervisorConfigOnHost = '/etc/supervisor/supervisord.conf';

/**
 * Debian's supervisord for one host, run by root in the foreground like the packaged service,
 * with its control socket owned by the login user so `supervisorctl -c <configFile>` works over
 * ssh without sudo. Programs live in `conf.d/<name>.conf`, one file each, as on Debian. The
 * config sits in the host's `etc/supervisor/`, which the host sees at `/etc/supervisor`.
 */
export function supervisord(folders: SupervisorFolders, user: LoginUser): Supervisor {
  const configFile = join(folders.etc, 'supervisor', 'supervisord.conf');
  const programs = join(folders.etc, 'supervisor', 'conf.d');
  const socket = join(folders.run, 'supervisor.sock');
  mkdirSync(programs, { recursive: true });
  writeFileSync(
    configFile,
    [
      '[unix_http_server]',
      `file=${socket}`,
      'chmod=0700',
      `chown=${user.name}:${user.name}`,
      '',
      '[supervisord]',
      'nodaemon=true',
      `logfile=${join(folders.log, 'supervisord.log')}`,
      `pidfile=${join(folders.run, 'supervisord.pid')}`,
      `childlogdir=${folders.log}`,
      'logfile_maxbytes=1MB',
      'logfile_backups=0',
      '',
      '[rpcinterface:supervisor]',
      'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
      '',
      '[supervisorctl]',
      `serverurl=unix://${socket}`,
      '',
      '[include]',
      `files = ${programs}/*.conf`,
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const ctl = ['supervisorctl', '-c', configFile];

  return {
    kind: 'supervisord',
    daemon: () => ({ argv: ['/usr/bin/supervisord', '-n', '-c', configFile], log: join(folders.log, 'supervisord.out') }),
    writeProgram(program: LabProgram) {
      if (!programNamePattern.test(program.name)) throw new Error(`program name ${program.name} does not match ${programNamePattern}`);
      const env = Object.entries(program.env ?? {}).map(([k, v]) => `${k}="${iniValue(v).replaceAll('"', '\\"')}"`);
      writeFileSync(
        join(programs, `${program.name}.conf`),
        [
          `[program:${program.name}]`,
          `command=${iniValue(program.command.map(shQuote).join(' '))}`,
          `user=${program.user ?? user.name}`,
          ...(program.directory ? [`directory=${program.directory}`] : []),
          ...(env.length > 0 ? [`environment=${env.join(',')}`] : []),
          'autostart=true',
          'autorestart=true',
          'startsecs=1',
          'stopwaitsecs=10',
          // The whole tree of the program stops with it, as systemd's KillMode=control-group would.
          'stopasgroup=true',
          'killasgroup=true',
          'redirect_stderr=true',
          `stdout_logfile=${join(folders.log, `${program.name}.log`)}`,
          'stdout_logfile_maxbytes=1MB',
          'stdout_logfile_backups=0',
          '',
        ].join('\n'),
        { mode: 0o644 },
      );
    },
    async load(name: string) {
      await run(ctl[0]!, [...ctl.slice(1), 'update']);
      await run(ctl[0]!, [...ctl.slice(1), 'status', name]).catch((error: { code?: number; stdout?: string }) => {
        // 3 is "not running" (starting, say): supervised all the same. 4 is "no such process".
        if (error.code !== 3) throw new Error(`supervisord does not know ${name}: ${error.stdout ?? String(error)}`);
      });
    },
    control: (verb, name) => [...ctl, verb, name],
    runs: (output) => /\sRUNNING\s/.test(output),
    // As a runbook on a real host names it: the same path on every host.
    serviceConfig: () => ({ manager: 'supervisor', supervisor: { configFile: supervisorConfigOnHost } }),
    binds: () => [{ source: join(folders.etc, 'supervisor'), target: '/etc/supervisor' }],
  };
}
