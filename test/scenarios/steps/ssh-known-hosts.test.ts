import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettings } from '@runwright/runbook';
import { AddressPolicy } from '../../../workers/src/config/address-policy.js';
import { activityConfigFromSettings, type ActivityConfig } from '../../../workers/src/config/worker-config.js';
import { envSecretSource } from '../../../workers/src/secrets/env-secret-source.js';
import { activityFailure, runActivity } from '../../support/activities.js';
import { finalState, startTestRun } from '../../support/run-helpers.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../../support/temporal.js';
import { startSshd, type RunningSshd } from './servers/sshd.js';

// The ssh step checking host keys against OpenSSH known_hosts files, written the way operators
// write them: by ssh-keyscan against the real sshd, hashed by ssh-keygen -H, edited by hand.

let folder: string;
let sshd: RunningSshd;
let hosts: string[];
let activityConfig: ActivityConfig;
/** ssh-keyscan's lines for the two test hosts, every key type the server has. */
let scanned: string;

function keyscan(types: string, ...addresses: string[]): string {
  return execFileSync('ssh-keyscan', ['-T', '20', '-t', types, '-p', String(sshd.port), ...addresses], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

function fingerprint(publicKeyFile: string): string {
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', publicKeyFile], { encoding: 'utf8' }).split(' ')[1]!;
}

let fileCount = 0;
function knownHosts(text: string): string {
  const file = join(folder, `known_hosts_${++fileCount}`);
  writeFileSync(file, text);
  return file;
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-ssh-known-hosts-'));
  sshd = await startSshd(folder, ['127.0.0.1', '127.0.0.2'], { moreHostKeyTypes: ['rsa'] });
  hosts = ['127.0.0.1', '127.0.0.2'].map((a) => `${a}:${sshd.port}`);
  activityConfig = { secrets: envSecretSource({ RUNWRIGHT_SECRET_DEPLOY_KEY: sshd.clientKey }), addresses: new AddressPolicy(['127.0.0.0/8', '::1']) };
  scanned = keyscan('ed25519,rsa', '127.0.0.1', '127.0.0.2');
});

afterAll(async () => {
  await sshd?.stop();
  rmSync(folder, { recursive: true, force: true });
});

const step = (knownHostsFile: string, more: Record<string, unknown> = {}) => ({ user: 'root', privateKey: { secret: 'DEPLOY_KEY' }, knownHostsFile, hosts, command: ['echo', 'ok'], ...more });

describe('ssh step with a known_hosts file', () => {
  it('accepts hosts whose keys ssh-keyscan wrote, as [host]:port lines with every key type', async () => {
    expect(scanned.split('\n').filter(Boolean).map((line) => line.split(' ').slice(0, 2).join(' ')).sort()).toEqual([
      `[127.0.0.1]:${sshd.port} ssh-ed25519`,
      `[127.0.0.1]:${sshd.port} ssh-rsa`,
      `[127.0.0.2]:${sshd.port} ssh-ed25519`,
      `[127.0.0.2]:${sshd.port} ssh-rsa`,
    ]);
    const result = await runActivity('ssh', step(knownHosts(scanned)), { activityConfig });
    expect(result.output.succeeded).toBe(2);
    expect(result.output.hosts).toMatchObject(hosts.map((host) => ({ host, stdout: 'ok\n', hostKey: sshd.hostFingerprint })));
  });

  it('accepts names hashed by ssh-keygen -H', async () => {
    const file = knownHosts(scanned);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
    expect(readFileSync(file, 'utf8')).not.toContain('127.0.0.1');
    const result = await runActivity('ssh', step(file), { activityConfig });
    expect(result.output.succeeded).toBe(2);
  });

  it('asks for the key type the file knows, so a host known only by its RSA key is accepted by that key', async () => {
    const result = await runActivity('ssh', step(knownHosts(keyscan('rsa', '127.0.0.1')), { hosts: [hosts[0]!] }), { activityConfig });
    expect(result.output.hosts[0]!.hostKey).toBe(fingerprint(join(folder, 'host_rsa.pub')));
  });

  it('refuses a host listed with another key, naming the host and both fingerprints, even when unknown hosts are accepted', async () => {
    const otherKey = join(folder, 'impostor');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
    const [type, key] = readFileSync(`${otherKey}.pub`, 'utf8').split(' ');
    const file = knownHosts(`[127.0.0.1]:${sshd.port} ${type} ${key}\n`);
    const marker = join(folder, 'ran-on-impostor');
    const failure = await activityFailure(runActivity('ssh', step(file, { hosts: [hosts[0]!], acceptUnknownHosts: true, command: ['touch', marker] }), { activityConfig }));
    expect(failure).toMatchObject({ type: 'HostKeyRejected', nonRetryable: true });
    expect(failure.message).toContain(`${hosts[0]}: host key ${sshd.hostFingerprint} does not match ${file}, which lists ${fingerprint(`${otherKey}.pub`)} (ssh-ed25519, line 1) for [127.0.0.1]:${sshd.port}`);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a key marked @revoked, although the file also lists it and the runbook pins it', async () => {
    const ed25519 = scanned.split('\n').find((line) => line.startsWith('[127.0.0.1]') && line.includes('ssh-ed25519'))!;
    const file = knownHosts(`@revoked * ${ed25519.split(' ').slice(1).join(' ')}\n${scanned}`);
    const failure = await activityFailure(runActivity('ssh', step(file, { hosts: [hosts[0]!], hostKeys: { [hosts[0]!]: sshd.hostFingerprint } }), { activityConfig }));
    expect(failure).toMatchObject({ type: 'HostKeyRejected', message: expect.stringContaining(`host key ${sshd.hostFingerprint} is marked @revoked in ${file} (line 1)`) });
  });

  it('refuses a host missing from the file, and accepts it when told to accept unknown hosts', async () => {
    const file = knownHosts(scanned.split('\n').filter((line) => !line.startsWith('[127.0.0.2]')).join('\n'));
    const marker = join(folder, 'ran-on-unlisted');
    const config = step(file, { hosts: [hosts[1]!], command: ['touch', marker] });
    const failure = await activityFailure(runActivity('ssh', config, { activityConfig }));
    expect(failure).toMatchObject({ type: 'HostKeyRejected', message: `1 of 1 hosts failed: ${hosts[1]}: host key ${sshd.hostFingerprint} is not pinned in hostKeys, [127.0.0.2]:${sshd.port} is not in ${file}, and acceptUnknownHosts is off` });
    expect(existsSync(marker)).toBe(false);
    const accepted = await runActivity('ssh', { ...config, acceptUnknownHosts: true }, { activityConfig });
    expect(accepted.output.hosts[0]!.hostKey).toBe(sshd.hostFingerprint);
    expect(existsSync(marker)).toBe(true);
  });

  it('fails without retrying when the file cannot be read, naming the field', async () => {
    const missing = join(folder, 'no-such-known-hosts');
    expect(await activityFailure(runActivity('ssh', step(missing), { activityConfig }))).toMatchObject({ type: 'InvalidConfig', nonRetryable: true, message: `knownHostsFile: cannot read ${missing}: ENOENT` });
    const worker = { ...activityConfig, sshKnownHostsFile: missing };
    expect(await activityFailure(runActivity('ssh', { ...step(missing), knownHostsFile: undefined }, { activityConfig: worker }))).toMatchObject({
      type: 'InvalidConfig',
      message: `knownHostsFile (RUNWRIGHT_SSH_KNOWN_HOSTS of the worker): cannot read ${missing}: ENOENT`,
    });
  });
});

describe("the worker's known_hosts file", () => {
  let env: TestWorkflowEnvironment;
  let worker: RunningWorker;

  beforeAll(async () => {
    env = await connectToTestServer();
    // Configured as a worker process configures itself, from its environment.
    const variables = { RUNWRIGHT_SSH_KNOWN_HOSTS: knownHosts(scanned), RUNWRIGHT_SECRET_DEPLOY_KEY: sshd.clientKey, RUNWRIGHT_OUTBOUND_ALLOW: '127.0.0.0/8,::1' };
    worker = await startTestWorker(env, { kinds: ['ssh'], activityConfig: activityConfigFromSettings(readSettings(variables), variables) });
  });

  afterAll(async () => {
    await worker?.stop();
    await env?.teardown();
  });

  it('checks a host that comes from a template, for a step that names no file', async () => {
    const runbook = {
      parameters: { host: { type: 'string' }, port: { type: 'number' } },
      secrets: ['DEPLOY_KEY'],
      nodes: [{ id: 'probe', kind: 'ssh', config: { user: 'root', privateKey: { secret: 'DEPLOY_KEY' }, hosts: ['{{ params.host }}:{{ $string(params.port) }}'], command: ['hostname'] } }],
    };
    const known = await finalState(await startTestRun(env, worker.taskQueue, runbook, { host: '127.0.0.2', port: sshd.port }));
    expect(known.status).toBe('succeeded');
    expect(known.nodes.probe!.output).toMatchObject({ hosts: [{ host: hosts[1], hostKey: sshd.hostFingerprint }] });

    // localhost reaches the same server, but the file lists it under no name it knows.
    const unknown = await finalState(await startTestRun(env, worker.taskQueue, runbook, { host: 'localhost', port: sshd.port }));
    expect(unknown.status).toBe('failed');
    expect(unknown.nodes.probe!.error).toMatchObject({ type: 'HostKeyRejected', message: expect.stringContaining(`[localhost]:${sshd.port} is not in`) });
  });
});
