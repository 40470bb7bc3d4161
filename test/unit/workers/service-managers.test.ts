import { describe, expect, it } from 'vitest';
import { stepKinds, validateRunbook, type StepConfig } from '@runwright/runbook';
import { lastLines, managerCommand } from '../../../workers/src/activities/service-managers.js';
import { quotedCommandLine } from '../../../workers/src/activities/posix-quote.js';

const ssh = { host: 'app-1.internal', user: 'deploy', privateKey: { secret: 'DEPLOY_KEY' } };

/** A service config as the worker sees it once validated (defaults applied). */
function config(fields: Record<string, unknown>): StepConfig<'service'> & { manager: 'systemd' | 'supervisor' | 'runit' } {
  const parsed = stepKinds.service.config.safeParse({ service: 'shop-api', ssh, ...fields });
  if (!parsed.success) throw new Error(parsed.error.message);
  return parsed.data as never;
}

const argv = (fields: Record<string, unknown>) => managerCommand(config(fields)).argv;

describe('the argv each service manager runs on the host', () => {
  // No systemd runs on these machines (no PID 1 systemd in the test environment): its verbs are proven by their argv only.
  it('systemd: systemctl verbs, is-active for status, journalctl for logs; sudo -n in front when asked', () => {
    expect(argv({ manager: 'systemd', action: 'restart' })).toEqual(['systemctl', 'restart', 'shop-api']);
    expect(argv({ manager: 'systemd', action: 'reload' })).toEqual(['systemctl', 'reload', 'shop-api']);
    expect(argv({ manager: 'systemd', action: 'status' })).toEqual(['systemctl', 'is-active', 'shop-api']);
    expect(argv({ manager: 'systemd', action: 'logs', lines: 200, sudo: true })).toEqual([
      'sudo', '-n', '--', 'journalctl', '--unit', 'shop-api', '--lines', '200', '--no-pager', '--output', 'short-iso', '--quiet',
    ]);
    expect(argv({ manager: 'systemd', action: 'stop', service: 'postgresql@15-main', sudo: true })).toEqual(['sudo', '-n', '--', 'systemctl', 'stop', 'postgresql@15-main']);
  });

  it('systemd: reads is-active as systemctl answers it (0 active, 3 inactive or failed, anything else unknown)', () => {
    const status = managerCommand(config({ manager: 'systemd', action: 'status' }));
    expect(status.read({ exitCode: 0, stdout: 'active\n' })).toEqual({ ok: true, active: true, state: 'active' });
    expect(status.read({ exitCode: 3, stdout: 'failed\n' })).toEqual({ ok: true, active: false, state: 'failed' });
    expect(status.read({ exitCode: 1, stdout: '' }).ok).toBe(false);
  });

  it('supervisor: supervisorctl with the config file, signal HUP for reload, tail in bytes for logs', () => {
    const supervisor = { configFile: '/etc/supervisor/supervisord.conf' };
    expect(argv({ manager: 'supervisor', action: 'start', supervisor })).toEqual(['supervisorctl', '-c', '/etc/supervisor/supervisord.conf', 'start', 'shop-api']);
    expect(argv({ manager: 'supervisor', action: 'reload' })).toEqual(['supervisorctl', 'signal', 'HUP', 'shop-api']);
    expect(argv({ manager: 'supervisor', action: 'logs', lines: 10 })).toEqual(['supervisorctl', 'tail', '-10240', 'shop-api']);
  });

  it('runit: sv on the service folder, hup for reload, the svlogd folder\'s current file for logs', () => {
    expect(argv({ manager: 'runit', action: 'restart' })).toEqual(['sv', 'restart', '/etc/service/shop-api']);
    expect(argv({ manager: 'runit', action: 'reload', runit: { serviceDir: '/srv/service/' } })).toEqual(['sv', 'hup', '/srv/service/shop-api']);
    expect(argv({ manager: 'runit', action: 'logs' })).toEqual(['tail', '-n', '100', '/var/log/runit/shop-api/current']);
    expect(argv({ manager: 'runit', action: 'logs', lines: 5, runit: { logDir: '/var/log/shop' } })).toEqual(['tail', '-n', '5', '/var/log/shop/current']);
  });

  it('keeps every value one quoted word of the remote command line', () => {
    const line = quotedCommandLine(argv({ manager: 'supervisor', action: 'status', service: 'web:api_1', supervisor: { configFile: "/etc/it's here.conf" } }), {});
    expect(line).toBe(`env 'supervisorctl' '-c' '/etc/it'\\''s here.conf' 'status' 'web:api_1'`);
  });

  it('keeps the last lines of a log, dropping the line a byte-counted tail cut in half', () => {
    expect(lastLines('ut line\nb\nc\n', 2, true)).toEqual(['b', 'c']);
    expect(lastLines('a\nb\n', 5, true)).toEqual(['a', 'b']);
    expect(lastLines('a\nb\nc', 2, false)).toEqual(['b', 'c']);
    expect(lastLines('a\n\nb\n\n', 5, false)).toEqual(['a', '', 'b']);
    expect(lastLines('', 5, false)).toEqual([]);
  });
});

describe('a service step is checked when the runbook loads', () => {
  const load = (stepConfig: Record<string, unknown>) =>
    validateRunbook({ id: 'svc', title: 'Service', secrets: ['DEPLOY_KEY'], parameters: { manager: { type: 'string' }, service: { type: 'string' }, host: { type: 'string' } }, nodes: [{ id: 'act', kind: 'service', config: { action: 'restart', ...stepConfig } }], edges: [] });
  const problems = (stepConfig: Record<string, unknown>) => {
    const result = load(stepConfig);
    return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
  };

  it('refuses a service name that a shell, a manager or a path would read as more than a name', () => {
    for (const service of ['shop-api; rm -rf /', 'shop-api $(id)', '-H evil', '..', '../etc', 'a b', '`id`']) {
      expect(problems({ manager: 'supervisor', ssh, service }), service).toEqual([expect.stringMatching(/^nodes\.0\.config\.service: a service name/)]);
    }
    expect(problems({ manager: 'supervisor', ssh, service: 'web:api_1' })).toEqual([]);
    expect(problems({ manager: 'systemd', ssh, service: 'postgresql@15-main.service' })).toEqual([]);
  });

  it('asks a remote manager for its host, and keeps command-only and remote-only fields apart', () => {
    expect(problems({ manager: 'runit', service: 'web' })).toEqual([expect.stringMatching(/^nodes\.0\.config\.ssh: the runit manager acts on a host/)]);
    expect(problems({ manager: 'runit', service: 'web', ssh, command: ['sv', '{action}', '{service}'] })).toEqual([expect.stringMatching(/^nodes\.0\.config\.command: /)]);
    expect(problems({ service: 'web', supervisor: {} })).toEqual([expect.stringMatching(/^nodes\.0\.config\.supervisor: `supervisor` is for the systemd, supervisor and runit managers/)]);
    // A plan whose manager is a parameter gives every manager its paths.
    expect(problems({ manager: 'systemd', service: 'web', ssh, supervisor: { configFile: '/etc/supervisor/supervisord.conf' }, runit: { serviceDir: '/etc/service' } })).toEqual([]);
    expect(problems({ service: 'web', ssh })).toEqual([expect.stringMatching(/^nodes\.0\.config\.ssh: `ssh` is for the systemd, supervisor and runit managers/)]);
    expect(problems({ manager: 'supervisor', service: 'web', ssh: { ...ssh, privateKeyFile: '/k' } })).toEqual([expect.stringMatching(/^nodes\.0\.config\.ssh\.privateKey: give exactly one/)]);
    expect(problems({ manager: 'supervisor', service: 'web', ssh: { ...ssh, hostKeys: { 'app-1.internal': 'MD5:aa' } } })).toEqual([
      expect.stringMatching(/^nodes\.0\.config\.ssh\.hostKeys\.app-1\.internal: a fingerprint/),
    ]);
  });

  it('keeps runbooks written before managers loading as they were (command manager, systemctl template)', () => {
    const result = load({ service: 'web', command: ['ssh', '--', 'host', 'systemctl', '{action}', '{service}'] });
    expect(result.ok && result.runbook.nodes[0]!.config).toMatchObject({ manager: 'command', command: ['ssh', '--', 'host', 'systemctl', '{action}', '{service}'] });
    expect(problems({ service: 'web', action: 'logs' })).toEqual([expect.stringMatching(/^nodes\.0\.config\.command: the `command` manager reads logs only through/)]);
  });

  it('takes the host, the manager and the name from templates, and checks them once rendered', () => {
    expect(problems({ manager: '{{ params.manager }}', service: '{{ params.service }}', ssh: { ...ssh, host: '{{ params.host }}' } })).toEqual([]);
  });
});
