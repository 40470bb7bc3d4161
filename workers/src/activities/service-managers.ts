import type { StepConfig } from '@runwright/runbook';

type ServiceConfig = StepConfig<'service'>;
type RemoteManager = Exclude<ServiceConfig['manager'], 'command'>;

/** How a manager's answer reads: whether the service runs and the manager's word for its state. */
export interface ManagerAnswer {
  /** Whether the exit code means the verb did what was asked (for `status`: the manager could tell). */
  ok: boolean;
  active?: boolean;
  state?: string;
}

export interface ManagerCommand {
  /** Run on the host as one argv: every entry is quoted for the remote shell. */
  argv: string[];
  read(result: { exitCode: number; stdout: string }): ManagerAnswer;
}

export const defaultLogLines = 100;

/** Debian's runit services keep their svlogd folder here. */
const runitLogRoot = '/var/log/runit';

const exitedZero = (result: { exitCode: number }): ManagerAnswer => ({ ok: result.exitCode === 0 });

/** supervisorctl tail counts bytes, not lines: ask for enough bytes for the lines wanted. */
const supervisorTailBytes = (lines: number) => Math.min(lines * 1_024, 1_048_576);

function systemd(config: ServiceConfig, lines: number): ManagerCommand {
  const unit = config.service;
  switch (config.action) {
    case 'status':
      return {
        argv: ['systemctl', 'is-active', unit],
        // is-active: 0 active, 3 inactive or failed (its word on stdout); anything else it could not tell.
        read: (r) => ({ ok: r.exitCode === 0 || r.exitCode === 3, active: r.exitCode === 0, state: r.stdout.trim().split('\n')[0] ?? '' }),
      };
    case 'logs':
      return { argv: ['journalctl', '--unit', unit, '--lines', String(lines), '--no-pager', '--output', 'short-iso', '--quiet'], read: exitedZero };
    default:
      return { argv: ['systemctl', config.action, unit], read: exitedZero };
  }
}

function supervisor(config: ServiceConfig, lines: number): ManagerCommand {
  const ctl = ['supervisorctl', ...(config.supervisor?.configFile ? ['-c', config.supervisor.configFile] : [])];
  const program = config.service;
  switch (config.action) {
    case 'status':
      return {
        argv: [...ctl, 'status', program],
        // supervisorctl status (supervisor 4): 0 RUNNING, 3 not running; 4 is "no such process".
        read: (r) => ({ ok: r.exitCode === 0 || r.exitCode === 3, active: r.exitCode === 0, state: r.stdout.trim().split(/\s+/)[1] ?? '' }),
      };
    case 'logs':
      return { argv: [...ctl, 'tail', `-${supervisorTailBytes(lines)}`, program], read: exitedZero };
    case 'reload':
      // supervisor has no reload verb: a program reloads on SIGHUP, as `systemctl reload` would send it.
      return { argv: [...ctl, 'signal', 'HUP', program], read: exitedZero };
    default:
      return { argv: [...ctl, config.action, program], read: exitedZero };
  }
}

function runit(config: ServiceConfig, lines: number): ManagerCommand {
  const serviceDir = config.runit?.serviceDir ?? '/etc/service';
  const path = `${serviceDir.replace(/\/+$/, '')}/${config.service}`;
  switch (config.action) {
    case 'status':
      return {
        argv: ['sv', 'status', path],
        // sv status exits 0 whenever runsv answers; the first word says run, down or finish.
        read: (r) => {
          const state = /^(run|down|finish):/.exec(r.stdout)?.[1];
          return { ok: r.exitCode === 0 && state !== undefined, active: state === 'run', state: state ?? r.stdout.trim().split(':')[0] ?? '' };
        },
      };
    case 'logs': {
      const logDir = config.runit?.logDir ?? `${runitLogRoot}/${config.service}`;
      return { argv: ['tail', '-n', String(lines), `${logDir.replace(/\/+$/, '')}/current`], read: exitedZero };
    }
    case 'reload':
      return { argv: ['sv', 'hup', path], read: exitedZero };
    default:
      // sv waits (7 s) for the service to reach the state and exits non-zero with `timeout:` otherwise.
      return { argv: ['sv', config.action, path], read: exitedZero };
  }
}

const managers: Record<RemoteManager, (config: ServiceConfig, lines: number) => ManagerCommand> = { systemd, supervisor, runit };

/**
 * The argv a remote manager runs for the step's action, fixed by the kind: the service name and
 * paths are single argv entries (never spliced into a shell line), behind `sudo -n --` when asked.
 */
export function managerCommand(config: ServiceConfig & { manager: RemoteManager }): ManagerCommand {
  const command = managers[config.manager](config, config.lines ?? defaultLogLines);
  return config.sudo ? { ...command, argv: ['sudo', '-n', '--', ...command.argv] } : command;
}

/** The last `count` lines of a log text, oldest first, without the partial first line a byte-counted tail may cut. */
export function lastLines(text: string, count: number, cutAtStart: boolean): string[] {
  // supervisorctl tail ends with an extra newline: trailing blank lines are not log lines.
  const trimmed = text.replace(/\n+$/, '');
  if (trimmed === '') return [];
  const lines = trimmed.split('\n');
  if (cutAtStart && lines.length > count) lines.shift();
  return lines.slice(-count);
}
