import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keygen } from '../scenarios/steps/servers/sshd.js';
import { appPort, buildRelease, type AppFault } from './app/release.js';
import { claimLabNet, cleanUpFolder, type LabNet } from './lab-net.js';
import { LabHost, sshPort, type LabHostSpec } from './lab-host.js';
import { LabMonitoring, type AlertmanagerLabOptions, type LabAlertmanager, type LabPrometheus, type PrometheusLabOptions } from './lab-monitoring.js';
import { ensureLoginUser, type LoginUser } from './login-user.js';
import type { NamespaceProcess } from './pid-namespace.js';
import { nodeExporterPort } from './node-exporter.js';
import type { SupervisorKind } from './supervisor.js';

export interface LabOptions {
  hosts: LabHostSpec[];
  /** The supervisor of hosts that name none (`supervisord`). */
  supervisor?: SupervisorKind;
  /** Exactly this `127.0.N`; else the first free one from RUNWRIGHT_LAB_NET (`127.0.10`) up. */
  net?: string;
  /** Release of shop-api every app host starts with (`1.0.0`). */
  appVersion?: string;
  /** Size of each host's data tmpfs, as `mount -o size=` takes it (`16m`). */
  dataSize?: string;
  /** Prometheus scraping every host's app and node exporter, with the shipped alert rules. */
  prometheus?: boolean | PrometheusLabOptions;
  /** Alertmanager routing the shipped route to a receiver (implies Prometheus). */
  alertmanager?: boolean | AlertmanagerLabOptions;
}

export interface Lab {
  root: string;
  /** `127.0.N`: host k is `127.0.N.k`, monitoring is on `.254`. */
  net: string;
  user: LoginUser;
  hosts: LabHost[];
  host(name: string): LabHost;
  site(name: string): LabHost[];
  /** Every host's key as `ssh-keyscan` got it from the running sshd. */
  knownHostsFile: string;
  /** The lab's client key (accepted by every host for the login user). */
  clientKeyFile: string;
  prometheus: LabPrometheus | undefined;
  alertmanager: LabAlertmanager | undefined;
  /** Writes release `version` of shop-api as an artifact tree (what a release pushes to `releases/<version>/`) and returns its folder. */
  buildRelease(version: string, fault?: AppFault): string;
  /** Every process the lab runs now (hosts and monitoring), found by PID namespace. */
  processes(): NamespaceProcess[];
  /** How long `startLab` took. */
  startedInMs: number;
  /** Stops everything the lab started, unmounts its filesystems, removes its folder, and throws if any process is left. Once. */
  stop(): Promise<void>;
}

/**
 * Starts a lab: hosts as loopback addresses of their own, each with sshd, a supervisor running
 * shop-api, a node exporter and a data tmpfs; Prometheus and Alertmanager when asked. Everything
 * runs in PID namespaces, so `stop()` (or the death of this process) leaves nothing behind.
 */
export async function startLab(options: LabOptions): Promise<Lab> {
  const started = Date.now();
  const names = new Set<string>();
  for (const spec of options.hosts) {
    if (!/^[a-z][a-z0-9-]*$/.test(spec.name) || names.has(spec.name)) throw new Error(`lab host names must be unique and look like app-1: ${spec.name}`);
    names.add(spec.name);
  }
  if (options.hosts.length > 250) throw new Error('a lab has at most 250 hosts');
  const root = mkdtempSync(join(tmpdir(), 'runwright-lab-'));
  // The login user reaches its files under here (sshd reads authorized_keys as the user).
  chmodSync(root, 0o755);
  let net: LabNet | undefined;
  const hosts: LabHost[] = [];
  let monitoring: LabMonitoring | undefined;

  const processes = () => [...hosts.flatMap((h) => h.processes()), ...(monitoring?.processes() ?? [])];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const problems: string[] = [];
    const attempt = async (what: () => Promise<void>) => what().catch((error: Error) => void problems.push(error.message));
    await Promise.all([...hosts.map((h) => attempt(() => h.destroy())), ...(monitoring ? [attempt(() => monitoring!.stop())] : [])]);
    const left = processes();
    if (left.length > 0) problems.push(`processes left: ${left.map((p) => `${p.pid} ${p.command}`).join('; ')}`);
    try {
      cleanUpFolder(root);
    } catch (error) {
      problems.push(`cannot remove ${root}: ${(error as Error).message}`);
    }
    net?.release();
    if (problems.length > 0) throw new Error(`lab teardown: ${problems.join('\n')}`);
  };

  try {
    net = claimLabNet(root, options.net);
    const user = ensureLoginUser();
    const keys = join(root, 'keys');
    mkdirSync(keys, { mode: 0o755 });
    const clientKeyFile = join(keys, 'client_ed25519');
    keygen(clientKeyFile);
    const authorizedKeysFile = join(keys, 'authorized_keys');
    copyFileSync(`${clientKeyFile}.pub`, authorizedKeysFile);
    chmodSync(authorizedKeysFile, 0o644);
    const knownHostsFile = join(keys, 'known_hosts');
    const shared = { root, user, clientKeyFile, authorizedKeysFile, knownHostsFile, appVersion: options.appVersion ?? '1.0.0', dataSize: options.dataSize ?? '16m' };
    options.hosts.forEach((spec, i) => hosts.push(new LabHost({ supervisor: options.supervisor ?? 'supervisord', ...spec }, `${net!.prefix}.${i + 1}`, shared)));
    const wantsAlertmanager = options.alertmanager !== undefined && options.alertmanager !== false;
    if (options.prometheus || wantsAlertmanager) {
      const promOptions = typeof options.prometheus === 'object' ? options.prometheus : {};
      const amOptions = wantsAlertmanager ? (typeof options.alertmanager === 'object' ? options.alertmanager : {}) : undefined;
      monitoring = new LabMonitoring(join(root, 'monitoring'), `${net.prefix}.254`, promOptions, amOptions);
      const labels = (h: LabHost) => ({ host: h.name, ...(h.site && { site: h.site }) });
      monitoring.prometheus.setTargets('shop-api', hosts.filter((h) => h.spec.app !== false).map((h) => ({ targets: [`${h.address}:${appPort}`], labels: labels(h) })));
      monitoring.prometheus.setTargets('node', hosts.map((h) => ({ targets: [`${h.address}:${nodeExporterPort}`], labels: labels(h) })));
    }

    await Promise.all([...hosts.map((h) => h.start()), ...(monitoring ? [monitoring.start()] : [])]);
    // known_hosts as an operator makes it: ssh-keyscan against the running servers.
    const scanned = execFileSync('ssh-keyscan', ['-T', '10', '-t', 'ed25519', '-p', String(sshPort), ...hosts.map((h) => h.address)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const lines = hosts.map((h) => scanned.split('\n').find((line) => line.startsWith(`${h.address} `)));
    const missing = hosts.filter((_, i) => lines[i] === undefined);
    if (missing.length > 0) throw new Error(`ssh-keyscan got no key from ${missing.map((h) => h.name).join(', ')}`);
    writeFileSync(knownHostsFile, `${lines.join('\n')}\n`, { mode: 0o644 });
    if (monitoring) {
      // Ready means scraped: every target has been up once.
      const targets = hosts.length + hosts.filter((h) => h.spec.app !== false).length;
      await waitFor(async () => (await monitoring!.prometheus.query('up == 1')).length === targets, `Prometheus to scrape all ${targets} targets`);
    }

    const artifacts = join(root, 'artifacts');
    return {
      root,
      net: net.prefix,
      user,
      hosts,
      host(name) {
        const host = hosts.find((h) => h.name === name);
        if (!host) throw new Error(`no lab host ${name} (hosts: ${hosts.map((h) => h.name).join(', ')})`);
        return host;
      },
      site: (name) => hosts.filter((h) => h.site === name),
      knownHostsFile,
      clientKeyFile,
      prometheus: monitoring?.prometheus,
      alertmanager: monitoring?.alertmanager,
      buildRelease: (version, fault) => buildRelease(join(artifacts, version), version, { ...(fault && { fault }), owner: user }),
      processes,
      startedInMs: Date.now() - started,
      stop,
    };
  } catch (error) {
    await stop().catch((teardown: Error) => console.error(teardown.message));
    throw error;
  }
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`lab: waited a minute for ${what}`);
}
