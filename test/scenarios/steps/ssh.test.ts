import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressPolicy } from '../../../workers/src/config/address-policy.js';
import { envSecretSource } from '../../../workers/src/secrets/env-secret-source.js';
import { activityFailure, runActivity } from '../../support/activities.js';
import { freePort } from '../../support/free-port.js';
import { historyText } from '../../support/history-text.js';
import { finalState, startTestRun } from '../../support/run-helpers.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../../support/temporal.js';
import { startSshd, type RunningSshd } from './servers/sshd.js';

let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let folder: string;
let sshd: RunningSshd;
let hosts: string[];
let pins: Record<string, string>;
let activityConfig: { secrets: ReturnType<typeof envSecretSource>; addresses: AddressPolicy };

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-ssh-'));
  // One sshd listening on three loopback addresses stands for three machines.
  sshd = await startSshd(folder, ['127.0.0.1', '127.0.0.2', '127.0.0.3']);
  hosts = ['127.0.0.1', '127.0.0.2', '127.0.0.3'].map((a) => `${a}:${sshd.port}`);
  pins = Object.fromEntries(hosts.map((h) => [h, sshd.hostFingerprint]));
  activityConfig = { secrets: envSecretSource({ RUNWRIGHT_SECRET_DEPLOY_KEY: sshd.clientKey }), addresses: new AddressPolicy(['127.0.0.0/8', '::1']) };
  env = await connectToTestServer();
  worker = await startTestWorker(env, { kinds: ['ssh'], activityConfig });
});

afterAll(async () => {
  await worker?.stop();
  await sshd?.stop();
  await env?.teardown();
  rmSync(folder, { recursive: true, force: true });
});

const base = () => ({ user: 'root', privateKey: { secret: 'DEPLOY_KEY' }, hostKeys: pins });

describe('ssh against a real OpenSSH server', () => {
  it('runs a command on many hosts through the interpreter, with per-host results and the key kept secret', async () => {
    const handle = await startTestRun(
      env,
      worker.taskQueue,
      {
        parameters: { release: { type: 'string' } },
        secrets: ['DEPLOY_KEY'],
        nodes: [
          {
            id: 'roll',
            kind: 'ssh',
            config: { ...base(), hosts, command: ['printf', '%s|%s', '{{ params.release }}', '$HOME'], parallelism: 2 },
          },
        ],
      },
      { release: "v2'; touch /tmp/pwned-by-ssh; echo '" },
    );
    const state = await finalState(handle);
    expect(state.status).toBe('succeeded');
    const output = state.nodes.roll!.output as { hosts: { host: string; stdout: string; exitCode: number; hostKey: string }[]; succeeded: number };
    expect(output.succeeded).toBe(3);
    expect(output.hosts.map((h) => h.host)).toEqual(hosts);
    for (const host of output.hosts) {
      expect(host).toMatchObject({ exitCode: 0, stdout: "v2'; touch /tmp/pwned-by-ssh; echo '|$HOME", hostKey: sshd.hostFingerprint });
    }
    expect(existsSync('/tmp/pwned-by-ssh')).toBe(false);
    const keyLine = sshd.clientKey.split('\n')[1]!;
    expect(await historyText(handle)).not.toContain(keyLine);
  });

  it('keeps to the parallelism limit', async () => {
    const running = join(folder, 'running');
    const script = 'mkdir -p "$DIR"; touch "$DIR/$$"; ls "$DIR" | wc -l >> "$DIR.max"; sleep 0.3; rm "$DIR/$$"';
    const many = [...hosts, `localhost:${sshd.port}`];
    const result = await runActivity('ssh', { ...base(), hostKeys: { ...pins, [`localhost:${sshd.port}`]: sshd.hostFingerprint }, hosts: many, script, env: { DIR: running }, parallelism: 2 }, { activityConfig });
    expect(result.output.succeeded).toBe(4);
    const seen = readFileSync(`${running}.max`, 'utf8').trim().split('\n').map(Number);
    expect(seen).toHaveLength(4);
    expect(Math.max(...seen)).toBeLessThanOrEqual(2);
  });

  it('refuses a host whose key is not pinned, before running anything, unless told to accept it', async () => {
    const marker = join(folder, 'ran-on-unknown');
    const config = { user: 'root', privateKey: { secret: 'DEPLOY_KEY' }, hosts: [hosts[0]!], command: ['touch', marker] };
    const failure = await activityFailure(runActivity('ssh', config, { activityConfig }));
    expect(failure).toMatchObject({ type: 'HostKeyRejected', nonRetryable: true, message: expect.stringContaining(`host key ${sshd.hostFingerprint} is not pinned`) });
    expect(existsSync(marker)).toBe(false);

    const accepted = await runActivity('ssh', { ...config, acceptUnknownHosts: true }, { activityConfig });
    expect(accepted.output.hosts[0]!.hostKey).toBe(sshd.hostFingerprint);
    expect(existsSync(marker)).toBe(true);
  });

  it('refuses a host whose key differs from its pin, even when unknown hosts are accepted', async () => {
    const other = join(folder, 'other_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const wrongPin = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${other}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
    const failure = await activityFailure(
      runActivity('ssh', { ...base(), hosts: [hosts[0]!], hostKeys: { [hosts[0]!]: wrongPin }, acceptUnknownHosts: true, command: ['true'] }, { activityConfig }),
    );
    expect(failure).toMatchObject({ type: 'HostKeyRejected', message: expect.stringContaining(`differs from the pinned ${wrongPin}`) });
  });

  it('reports per-host failures: refused connections, non-zero exits, and a refused key', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const failure = await activityFailure(runActivity('ssh', { ...base(), hosts: [hosts[0]!, closed], command: ['true'] }, { activityConfig }));
    expect(failure).toMatchObject({ type: 'PartialFailure', nonRetryable: false, message: `1 of 2 hosts failed: ${closed}: ECONNREFUSED` });
    const details = failure.details!.at(-1) as { hosts: { host: string; exitCode?: number; error?: { type: string } }[] };
    expect(details.hosts).toMatchObject([{ host: hosts[0], exitCode: 0 }, { host: closed, error: { type: 'Unreachable' } }]);

    expect(await activityFailure(runActivity('ssh', { ...base(), hosts: [hosts[1]!], script: 'echo broken >&2; exit 3' }, { activityConfig }))).toMatchObject({
      type: 'UnexpectedExitCode',
      message: `1 of 1 hosts failed: ${hosts[1]}: exited with 3 (expected 0): broken`,
    });

    const stranger = join(folder, 'stranger');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
    expect(await activityFailure(runActivity('ssh', { ...base(), privateKey: undefined, privateKeyFile: stranger, hosts: [hosts[2]!], command: ['true'] }, { activityConfig }))).toMatchObject({
      type: 'AuthenticationFailed',
      message: expect.stringContaining('refused the key for user root'),
    });
  });

  it('fails without retrying on config that cannot work, naming the field', async () => {
    expect(await activityFailure(runActivity('ssh', { ...base(), hosts: ['bad host!'], command: ['true'] }, { activityConfig }))).toMatchObject({ type: 'InvalidConfig', message: expect.stringMatching(/^hosts\.0: /), nonRetryable: true });
    expect(await activityFailure(runActivity('ssh', { ...base(), privateKey: 'not a key', hosts: [hosts[0]!], command: ['true'] }, { activityConfig }))).toMatchObject({ type: 'InvalidConfig', message: expect.stringMatching(/^privateKey: /), nonRetryable: true });
  });
});
