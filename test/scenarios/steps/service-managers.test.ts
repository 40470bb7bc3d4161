import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProtocol, type RunInput } from '@runwright/runbook';
import { AddressPolicy } from '../../../workers/src/config/address-policy.js';
import type { ActivityConfig } from '../../../workers/src/config/worker-config.js';
import { envSecretSource } from '../../../workers/src/secrets/env-secret-source.js';
import { startLab, type Lab } from '../../lab/lab.js';
import type { LabHost } from '../../lab/lab-host.js';
import { activityFailure, runActivity } from '../../support/activities.js';
import { startHttpServer } from '../../support/http-server.js';
import { shippedRunbook } from '../../support/runbooks.js';
import { finalState, startTestRun } from '../../support/run-helpers.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../../support/temporal.js';

// The service kind driving real supervisors on lab hosts over Runwright's own ssh connection:
// Debian's supervisord on one host, runit on the other, each running shop-api, scraped by Prometheus.

let lab: Lab;
let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let activityConfig: ActivityConfig;

beforeAll(async () => {
  lab = await startLab({ hosts: [{ name: 'svc-supervisord', supervisor: 'supervisord' }, { name: 'svc-runit', supervisor: 'runit' }], prometheus: true });
  console.info(`service lab (${lab.net}) started in ${lab.startedInMs} ms`);
  const key = lab.hosts[0]!.ssh.privateKey;
  activityConfig = { secrets: envSecretSource({ RUNWRIGHT_SECRET_LAB_SSH_KEY: key, RUNWRIGHT_SECRET_REMEDIATION_SSH_KEY: key }), addresses: new AddressPolicy(['127.0.0.0/8']) };
  env = await connectToTestServer();
  worker = await startTestWorker(env, { activityConfig });
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
  await lab?.stop();
});

/** A service step on `host`'s shop-api: its manager's paths, and ssh with the key as a secret and the lab's known_hosts. */
function step(host: LabHost, fields: Record<string, unknown>, ssh: Record<string, unknown> = {}) {
  return {
    service: 'shop-api',
    ...host.serviceConfig(),
    ssh: { host: host.address, user: host.ssh.user, privateKey: { secret: 'LAB_SSH_KEY' }, knownHostsFile: lab.knownHostsFile, ...ssh },
    ...fields,
  };
}

const health = (host: LabHost) => ({ check: { kind: 'http', config: { url: `${host.appUrl}/healthz`, timeoutMs: 1_000 } }, intervalMs: 200, timeoutMs: 30_000 });
const appPid = (host: LabHost) => host.processes().find((p) => p.command.includes('server.mjs'))?.pid;
const service = (config: Record<string, unknown>) => runActivity('service', config, { activityConfig });

describe.each([
  ['svc-supervisord', { running: 'RUNNING', stopped: 'STOPPED' }],
  ['svc-runit', { running: 'run', stopped: 'down' }],
])('the service kind on %s', (name, states) => {
  it('reports the running program, stops it, reports it stopped, then starts it and waits until it is healthy', async () => {
    const host = lab.host(name);
    const running = await service(step(host, { action: 'status' }));
    expect(running.output).toMatchObject({ active: true, state: states.running, exitCode: 0, host: host.address, hostKey: host.ssh.hostKeyFingerprint });

    await service(step(host, { action: 'stop' }));
    expect(appPid(host)).toBeUndefined();
    expect(await host.runs()).toBe(false);
    const stopped = await service(step(host, { action: 'status' }));
    expect(stopped.output).toMatchObject({ active: false, state: states.stopped });

    const started = await service(step(host, { action: 'start', health: health(host) }));
    expect(started.output.healthPolls).toBeGreaterThanOrEqual(1);
    expect(await (await fetch(`${host.appUrl}/healthz`)).status).toBe(200);
    expect(await host.runs()).toBe(true);
    // Starting what runs is no error: the verbs are idempotent.
    await service(step(host, { action: 'start' }));
  });

  it('restarts the program (a new process that answers health) and reads its last log lines', async () => {
    const host = lab.host(name);
    const before = appPid(host);
    expect(before).toBeDefined();
    const restarted = await service(step(host, { action: 'restart', health: health(host) }));
    expect(restarted.output.exitCode).toBe(0);
    const after = appPid(host);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);

    const logs = await service(step(host, { action: 'logs', lines: 3 }));
    const lines = logs.output.lines!;
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).toMatch(/shop-api 1\.0\.0: stopping on SIGTERM\n.*shop-api 1\.0\.0: listening on/);
    expect(lines[lines.length - 1]).toContain(`listening on ${host.address}:8080`);
  });
});

describe('the service kind through the interpreter', () => {
  it('checks the program, saves its log lines and restarts it in one run, the key coming from the worker as a secret', async () => {
    const host = lab.host('svc-supervisord');
    const handle = await startTestRun(env, worker.taskQueue, {
      secrets: ['LAB_SSH_KEY'],
      nodes: [
        { id: 'unit-status', kind: 'service', config: step(host, { action: 'status' }) },
        { id: 'save-logs', kind: 'service', config: step(host, { action: 'logs', lines: 20 }) },
        { id: 'restart-unit', kind: 'service', config: step(host, { action: 'restart', health: health(host) }) },
      ],
      edges: [
        { from: 'unit-status', to: 'save-logs' },
        { from: 'save-logs', to: 'restart-unit' },
      ],
    });
    const state = await finalState(handle);
    expect(state.status).toBe('succeeded');
    expect(state.nodes['unit-status']!.output).toMatchObject({ active: true, state: 'RUNNING', command: ['supervisorctl', '-c', expect.stringContaining('supervisord.conf'), 'status', 'shop-api'] });
    expect((state.nodes['save-logs']!.output as { lines: string[] }).lines.some((l) => l.includes('listening on'))).toBe(true);
    expect(state.nodes['restart-unit']!.output).toMatchObject({ exitCode: 0, healthPolls: expect.any(Number) });
    // The key never travels through the run: the history holds its name only.
    expect(JSON.stringify(state)).not.toContain(host.ssh.privateKey.split('\n')[1]!);
  });
});

describe('the shipped service-down-restart on the lab', () => {
  it('finds shop-api stopped under supervisor, keeps its log lines, restarts it and waits until Prometheus scrapes it', async () => {
    const host = lab.host('svc-supervisord');
    const manager = host.serviceConfig();
    if (manager.manager !== 'supervisor') throw new Error('svc-supervisord runs supervisord');
    expect((await host.control('stop')).exitCode).toBe(0);
    const oncall = await startHttpServer((request, response) => void request.resume().on('end', () => response.end('ok')));
    try {
      const { runbook, planHash } = shippedRunbook('service-down-restart');
      const params = {
        host: host.address,
        instance: `${host.address}:8080`,
        prometheusUrl: lab.prometheus!.url,
        oncallWebhookUrl: `${oncall.url}/oncall`,
        serviceManager: 'supervisor',
        sshUser: host.ssh.user,
        knownHostsFile: lab.knownHostsFile,
        useSudo: false,
        supervisorConfig: manager.supervisor.configFile,
      };
      const input: RunInput = { runbook, planHash, params, trigger: { type: 'manual', by: 'tester' } };
      const handle = await env.client.workflow.start(runProtocol.workflowType, { taskQueue: worker.taskQueue, workflowId: `service-down-${randomUUID()}`, args: [input] });
      const state = await finalState(handle);
      expect(state.status, JSON.stringify(state.error)).toBe('succeeded');
      expect(state.nodes['unit-status']!.output).toMatchObject({ active: false, state: 'STOPPED', host: `${host.address}:22` });
      expect((state.nodes['save-logs']!.output as { lines: string[] }).lines.join('\n')).toMatch(/stopping on SIGTERM/);
      expect(state.nodes['report-running']!.status).toBe('skipped');
      expect(state.nodes['wait-scraped']!.status).toBe('succeeded');
      expect(oncall.requests.map((r) => r.url)).toEqual(['/oncall']);
      expect(await host.runs()).toBe(true);
    } finally {
      await oncall.close();
    }
  });
});

describe('the service kind refuses', () => {
  it('a host whose key is not known, differs from its pin, or differs from known_hosts — and acts on nothing', async () => {
    const [host, other] = [lab.host('svc-supervisord'), lab.host('svc-runit')];
    const pid = appPid(host);
    const empty = join(lab.root, 'empty_known_hosts');
    writeFileSync(empty, '');
    const notListed = await activityFailure(service(step(host, { action: 'restart' }, { knownHostsFile: empty })));
    expect(notListed).toMatchObject({ type: 'HostKeyRejected', nonRetryable: true, message: expect.stringContaining(`${host.address} is not in ${empty}, and acceptUnknownHosts is off`) });

    const wrongPin = await activityFailure(service(step(host, { action: 'restart' }, { hostKeys: { [host.address]: other.ssh.hostKeyFingerprint } })));
    expect(wrongPin).toMatchObject({ type: 'HostKeyRejected', message: expect.stringContaining(`differs from the pinned ${other.ssh.hostKeyFingerprint}`) });

    // known_hosts that lists another server's key for this address: someone in between.
    const swapped = join(lab.root, 'swapped_known_hosts');
    const otherLine = readFileSync(lab.knownHostsFile, 'utf8').split('\n').find((l) => l.startsWith(`${other.address} `))!;
    writeFileSync(swapped, `${otherLine.replace(other.address, host.address)}\n`);
    const changed = await activityFailure(service(step(host, { action: 'restart' }, { knownHostsFile: swapped })));
    expect(changed).toMatchObject({ type: 'HostKeyRejected', message: expect.stringContaining('the host key changed or someone is in between') });

    expect(appPid(host)).toBe(pid);
  });

  it('a service name that renders to shell syntax, before connecting', async () => {
    const host = lab.host('svc-runit');
    const failure = await activityFailure(service(step(host, { action: 'stop', service: 'shop-api; sv stop /etc/service/*' })));
    expect(failure).toMatchObject({ type: 'InvalidConfig', message: expect.stringMatching(/^service: a service name/) });
    expect(await host.runs()).toBe(true);
  });

  it('a program the supervisor does not know, with the manager\'s own words', async () => {
    const host = lab.host('svc-supervisord');
    const failure = await activityFailure(service(step(host, { action: 'status', service: 'no-such-program' })));
    expect(failure).toMatchObject({ type: 'UnexpectedExitCode', message: expect.stringMatching(/supervisorctl .* status no-such-program exited with 4: no-such-program: ERROR \(no such process\)/) });
  });
});
