import type { StepConfig } from '@runwright/runbook';

type Config = StepConfig<'traffic.switch'>;
type Server = NonNullable<Config['servers']>[number];

/** The include file's text for each balancer; one block, nothing else, so the step can own it. */
export const renderTrafficConfig: Record<Config['balancer'], (upstream: string, servers: Server[]) => string> = {
  nginx: (upstream, servers) =>
    [
      '# Managed by Runwright traffic.switch; changes here are overwritten.',
      `upstream ${upstream} {`,
      ...servers.map((s) => `    server ${s.address}${s.weight ? ` weight=${s.weight}` : ''}${s.backup ? ' backup' : ''};`),
      '}',
      '',
    ].join('\n'),
  haproxy: (upstream, servers) =>
    [
      '# Managed by Runwright traffic.switch; changes here are overwritten.',
      `backend ${upstream}`,
      ...servers.map((s, i) => `    server s${i + 1} ${s.address}${s.weight ? ` weight ${s.weight}` : ''}${s.backup ? ' backup' : ''}`),
      '',
    ].join('\n'),
};

export function defaultCommands(config: Config): { validate: string[]; reload: string[] } {
  return config.balancer === 'nginx'
    ? { validate: ['nginx', '-t'], reload: ['nginx', '-s', 'reload'] }
    : { validate: ['haproxy', '-c', '-f', '/etc/haproxy/haproxy.cfg', '-f', config.configFile], reload: ['systemctl', 'reload', 'haproxy'] };
}
