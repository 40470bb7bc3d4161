import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { portOpen } from '../scenarios/steps/servers/listening-process.js';
import { eventually } from '../support/eventually.js';
import { processAlive } from '../support/process-alive.js';
import { startLab, type Lab } from './lab.js';
import { shippedRuleFiles } from './shipped-monitoring.js';

// One lab of three hosts (supervisord, runit, supervisord; sites a and b) with Prometheus and
// Alertmanager, proving each property the scenario suites rely on.

interface Notification {
  authorization: string | undefined;
  body: { status: string; alerts: { status: string; labels: Record<string, string> }[] };
}

let lab: Lab;
let receiver: Server;
const notifications: Notification[] = [];
const token = 'lab-receiver-token';

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      notifications.push({ authorization: request.headers.authorization, body: JSON.parse(body) });
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/api/hooks/alertmanager`;
  lab = await startLab({
    hosts: [
      { name: 'app-1', site: 'a', supervisor: 'supervisord' },
      { name: 'app-2', site: 'a', supervisor: 'runit' },
      { name: 'app-3', site: 'b', supervisor: 'supervisord' },
    ],
    prometheus: true,
    alertmanager: { receiver: { url, token } },
  });
  console.info(`lab of 3 hosts with Prometheus and Alertmanager (${lab.net}) started in ${lab.startedInMs} ms`);
});

afterAll(async () => {
  await lab?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** OpenSSH's client as an operator runs it, against `knownHostsFile` with strict checking. */
function ssh(address: string, knownHostsFile: string, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = ['-i', lab.clientKeyFile, '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${knownHostsFile}`, '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=yes', '-l', lab.user.name, address, '--', ...argv];
  return new Promise((resolve) => execFile('ssh', args, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 255) : 0, stdout, stderr })));
}

/** Whether the receiver got `alertname` for `instance` with that status. */
const received = (alertname: string, status: string, instance: string) =>
  notifications.some((n) => n.body.alerts.some((a) => a.labels.alertname === alertname && a.status === status && a.labels.instance === instance));
const appPid = (name: string) => lab.host(name).processes().find((p) => p.command.includes('server.mjs'))?.pid;
const version = async (name: string) => ((await (await fetch(`${lab.host(name).appUrl}/version`)).json()) as { version: string }).version;

describe('the lab', () => {
  it('gives each host its own address, sshd and host key, and a known_hosts written by ssh-keyscan that OpenSSH accepts', async () => {
    const lines = readFileSync(lab.knownHostsFile, 'utf8').trim().split('\n');
    expect(lines.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(lab.hosts.map((h) => `${h.address} ssh-ed25519`));
    expect(new Set(lab.hosts.map((h) => h.ssh.hostKeyFingerprint)).size).toBe(3);
    expect(lab.hosts.map((h) => h.address)).toEqual([1, 2, 3].map((n) => `${lab.net}.${n}`));
    expect(lab.site('a').map((h) => h.name)).toEqual(['app-1', 'app-2']);
    for (const host of lab.hosts) {
      const answer = await ssh(host.address, lab.knownHostsFile, ['id', '-un']);
      expect(answer, host.name).toMatchObject({ code: 0, stdout: `${lab.user.name}\n` });
    }
    // Strict checking has teeth: an empty known_hosts is refused.
    const empty = join(lab.root, 'empty_known_hosts');
    writeFileSync(empty, '');
    expect((await ssh(lab.hosts[0]!.address, empty, ['true'])).stderr).toMatch(/Host key verification failed/);
  });

  it('runs shop-api under each host\'s supervisor, bound to the host\'s address, and the supervisor restarts it when it dies', async () => {
    for (const host of lab.hosts) {
      expect(await version(host.name)).toBe('1.0.0');
      expect(await host.runs(), host.name).toBe(true);
      const killed = appPid(host.name)!;
      process.kill(killed, 'SIGKILL');
      const next = await eventually(async () => appPid(host.name), (pid) => pid !== undefined && pid !== killed, { what: `${host.name}'s supervisor to restart shop-api` });
      expect(next).not.toBe(killed);
      await eventually(() => fetch(`${host.appUrl}/healthz`).then((r) => r.status, () => 0), (status) => status === 200, { what: `${host.name} healthy again` });
    }
    // A release is a folder and a link: install 1.1.0, switch `current`, restart through the supervisor.
    const host = lab.host('app-2');
    host.installRelease('1.1.0', { activate: true });
    expect((await host.control('restart')).exitCode).toBe(0);
    await eventually(() => version('app-2').catch(() => ''), (v) => v === '1.1.0', { what: 'app-2 to serve 1.1.0' });
    expect(host.currentRelease()).toBe('1.1.0');
    expect(await version('app-1')).toBe('1.0.0');
  });

  it('shows every host its own /srv/shop-api and /etc/supervisor, at the paths a real host has them', async () => {
    // app-2 runs 1.1.0 since the test above; the others 1.0.0.
    for (const host of lab.hosts) {
      const seen = await host.exec(['sh', '-c', 'readlink /srv/shop-api/current; ls /srv/shop-api/releases']);
      expect(seen.stdout, host.name).toBe(host.name === 'app-2' ? 'releases/1.1.0\n1.0.0\n1.1.0\n' : 'releases/1.0.0\n1.0.0\n');
    }
    const supervised = lab.host('app-1');
    expect(supervised.serviceConfig()).toEqual({ manager: 'supervisor', supervisor: { configFile: '/etc/supervisor/supervisord.conf' } });
    const status = await supervised.exec(['supervisorctl', '-c', '/etc/supervisor/supervisord.conf', 'status', 'shop-api']);
    expect(status.stdout).toMatch(/^shop-api\s+RUNNING/);
    // The machine's own folders are untouched: the binds live in the hosts' namespaces only.
    expect(readFileSync('/etc/supervisor/supervisord.conf', 'utf8')).not.toContain(lab.root);
    expect(readdirSync('/srv/shop-api')).toEqual([]);
  });

  it('takes a host down with everything on it, and brings it back with the same keys', async () => {
    const host = lab.host('app-3');
    const before = host.processes().map((p) => p.pid);
    expect(before.length).toBeGreaterThanOrEqual(4);
    await host.down();
    expect(host.processes()).toEqual([]);
    expect(before.filter(processAlive)).toEqual([]);
    for (const port of [22, 8080, 9100]) expect(await portOpen(port, host.address), `port ${port}`).toBe(false);
    expect((await host.exec(['true'])).exitCode).toBe(255);
    await eventually(() => lab.prometheus!.query(`up{host="app-3"} == 0`), (down) => down.length === 2, { what: 'Prometheus to see app-3 down' });
    expect(await version('app-1')).toBe('1.0.0');

    await host.up();
    expect(await ssh(host.address, lab.knownHostsFile, ['hostname'])).toMatchObject({ code: 0 });
    expect(await version('app-3')).toBe('1.0.0');
    await eventually(() => lab.prometheus!.query(`up{host="app-3"} == 1`), (up) => up.length === 2, { what: 'Prometheus to see app-3 up' });
  });

  it('has Prometheus scrape each host\'s app and node exporter, which sees only that host\'s data tmpfs, and its usage after fill', async () => {
    const apps = await lab.prometheus!.query('up{job="shop-api"} == 1');
    expect(apps.map((s) => `${s.metric.host} ${s.metric.instance}`).sort()).toEqual(lab.hosts.map((h) => `${h.name} ${h.address}:8080`));
    expect(await lab.prometheus!.query('sum by (host) (http_requests_total{job="shop-api"})')).toHaveLength(3);
    const filesystems = await lab.prometheus!.query('node_filesystem_size_bytes{job="node"}');
    expect(filesystems.map((s) => `${s.metric.host} ${s.metric.mountpoint} ${s.metric.fstype} ${s.value}`).sort()).toEqual(
      lab.hosts.map((h) => `${h.name} ${h.paths.data} tmpfs ${16 * 1024 * 1024}`),
    );
    const avail = async () => (await lab.prometheus!.query('node_filesystem_avail_bytes{host="app-1"}'))[0]!.value;
    const before = await avail();
    const file = lab.host('app-1').fill(4 * 1024 * 1024);
    await eventually(avail, (now) => before - now >= 4 * 1024 * 1024, { what: 'app-1\'s free space to drop by 4 MiB' });
    unlinkSync(file);
    await eventually(avail, (now) => now === before, { what: 'app-1\'s free space back' });
  });

  it('fires the shipped ShopApiDown and NodeFilesystemAlmostFull rules, and Alertmanager posts them (and their resolution) with the token', async () => {
    // The lab's copy of the rules differs from the shipped file only in `for:`.
    const strip = (file: string) => JSON.stringify(parse(readFileSync(file, 'utf8')), (key, value) => (key === 'for' ? undefined : value));
    const shipped = shippedRuleFiles();
    expect(lab.prometheus!.ruleFiles.map(strip)).toEqual(shipped.map(strip));
    expect(readFileSync(lab.prometheus!.ruleFiles[0]!, 'utf8')).toContain('for: 5s');

    const host = lab.host('app-2');
    const stoppedAt = Date.now();
    expect((await host.control('stop')).exitCode).toBe(0);
    await eventually(async () => received('ShopApiDown', 'firing', `${host.address}:8080`), Boolean, { what: 'ShopApiDown posted', attempts: 600 });
    const firedAfter = Date.now() - stoppedAt;
    expect((await host.control('start')).exitCode).toBe(0);
    await eventually(async () => received('ShopApiDown', 'resolved', `${host.address}:8080`), Boolean, { what: 'ShopApiDown resolved', attempts: 600 });
    const resolvedAfter = Date.now() - stoppedAt;
    console.info(`ShopApiDown: app stopped → posted ${firedAfter} ms, → resolved posted ${resolvedAfter} ms (lab for: 5s, intervals 1s)`);

    const full = lab.host('app-1').fill(15 * 1024 * 1024);
    await eventually(async () => received('NodeFilesystemAlmostFull', 'firing', `${lab.host('app-1').address}:9100`), Boolean, { what: 'NodeFilesystemAlmostFull posted', attempts: 600 });
    const alert = notifications.flatMap((n) => n.body.alerts).find((a) => a.labels.alertname === 'NodeFilesystemAlmostFull')!;
    expect(alert.labels).toMatchObject({ mountpoint: lab.host('app-1').paths.data, fstype: 'tmpfs', host: 'app-1', severity: 'page' });
    unlinkSync(full);
    await eventually(async () => received('NodeFilesystemAlmostFull', 'resolved', `${lab.host('app-1').address}:9100`), Boolean, { what: 'NodeFilesystemAlmostFull resolved', attempts: 600 });
    expect(new Set(notifications.map((n) => n.authorization))).toEqual(new Set([`Bearer ${token}`]));
    // Only the hosts the test acted on alerted.
    expect(new Set(notifications.flatMap((n) => n.body.alerts.map((a) => a.labels.host)))).toEqual(new Set(['app-1', 'app-2']));
  });

  it('serves releases built broken on purpose: failing health, or errors after start that the shipped error-rate rule sees', async () => {
    const host = lab.host('app-3');
    host.installRelease('2.0.0-unhealthy', { fault: { kind: 'unhealthy' }, activate: true });
    expect((await host.control('restart')).exitCode).toBe(0);
    await eventually(() => fetch(`${host.appUrl}/healthz`).then((r) => r.status, () => 0), (status) => status === 503, { what: 'app-3 unhealthy' });
    expect(await version('app-3')).toBe('2.0.0-unhealthy');

    host.installRelease('3.0.0', { fault: { kind: 'errors', afterSeconds: 2, ratio: 0.5 }, activate: true });
    expect((await host.control('restart')).exitCode).toBe(0);
    await eventually(() => version('app-3').catch(() => ''), (v) => v === '3.0.0', { what: 'app-3 to serve 3.0.0' });
    const statuses: number[] = [];
    const traffic = setInterval(() => void fetch(`${host.appUrl}/shop`).then((r) => statuses.push(r.status), () => undefined), 50);
    try {
      await eventually(async () => received('ShopApiHighErrorRate', 'firing', `${host.address}:8080`), Boolean, { what: 'ShopApiHighErrorRate posted', attempts: 900 });
    } finally {
      clearInterval(traffic);
    }
    expect(statuses.slice(0, 5).every((code) => code === 200)).toBe(true);
    expect(statuses.filter((code) => code === 500).length).toBeGreaterThan(statuses.length / 4);
    const errors = await lab.prometheus!.query('shop_api_errors_total{host="app-3"}');
    expect(errors[0]!.value).toBeGreaterThan(0);

    host.installRelease('1.0.0', { activate: true });
    expect((await host.control('restart')).exitCode).toBe(0);
    await eventually(() => version('app-3').catch(() => ''), (v) => v === '1.0.0', { what: 'app-3 back on 1.0.0' });
  });

  it('stops everything it started: no process, no mount, no folder left', async () => {
    const pids = lab.processes().map((p) => p.pid);
    expect(pids.length).toBeGreaterThanOrEqual(3 * 4 + 2);
    const mounts = lab.hosts.map((h) => h.paths.data);
    await lab.stop();
    expect(pids.filter(processAlive)).toEqual([]);
    expect(lab.processes()).toEqual([]);
    const mounted = readFileSync('/proc/self/mounts', 'utf8');
    expect(mounts.filter((m) => mounted.includes(` ${m} `))).toEqual([]);
    expect(existsSync(lab.root)).toBe(false);
    for (const host of lab.hosts) expect(await portOpen(22, host.address)).toBe(false);
  });
});
