import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProtocol, type RunInput, type RunState } from '@runwright/runbook';
import { AddressPolicy } from '../../../workers/src/config/address-policy.js';
import { envSecretSource } from '../../../workers/src/secrets/env-secret-source.js';
import { startHttpServer } from '../../support/http-server.js';
import { shippedRunbook } from '../../support/runbooks.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../../support/temporal.js';
import { startSshd, type RunningSshd } from '../steps/servers/sshd.js';

// The shipped disk-full remediation, run for real through the ssh step against a real sshd on
// loopback (as root: `useSudo: false`): the remote shell runs the scripts exactly as on a
// production host, so the find expressions are what is under test, along with the host key
// being checked against a known_hosts file written by ssh-keyscan. The whole plan, started by
// the real alert on the lab, is in test/scenarios/lab/disk-full.ts.

let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let folder: string;
let sshd: RunningSshd;
let knownHostsFile: string;
let oncall: Awaited<ReturnType<typeof startHttpServer>>;
const started: { terminate(reason?: string): Promise<unknown> }[] = [];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-disk-full-'));
  chmodSync(folder, 0o755);
  mkdirSync(join(folder, 'sshd'));
  sshd = await startSshd(join(folder, 'sshd'));
  // The worker's side, as an operator sets it up: the key as a secret, the host's key scanned into known_hosts.
  knownHostsFile = join(folder, 'known_hosts');
  writeFileSync(knownHostsFile, execFileSync('ssh-keyscan', ['-T', '20', '-p', String(sshd.port), '127.0.0.1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  env = await connectToTestServer();
  const activityConfig = { secrets: envSecretSource({ RUNWRIGHT_SECRET_REMEDIATION_SSH_KEY: sshd.clientKey }), addresses: new AddressPolicy(['127.0.0.0/8', '::1']) };
  worker = await startTestWorker(env, { kinds: ['ssh', 'notify'], activityConfig });
  oncall = await startHttpServer((request, response) => void request.resume().on('end', () => response.end('ok')));
}, 60_000);

afterAll(async () => {
  // A run can be left waiting at its checkpoint; it must not outlive the file.
  await Promise.all(started.map((handle) => handle.terminate('test file ended').catch(() => undefined)));
  await worker?.stop();
  await sshd?.stop();
  await oncall?.close();
  await env?.teardown();
  for (const mount of mounted) execFileSync('umount', [mount]);
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);

const mounted: string[] = [];

/** A tmpfs mount point with rotated logs old and new, and old files the remediation must not touch. */
function fillMount(name: string) {
  const mount = join(folder, name);
  mkdirSync(mount);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', `disk-full-${name}`, mount]);
  mounted.push(mount);
  const file = (path: string, old: boolean) => {
    const full = join(mount, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, 'x'.repeat(4096));
    if (old) utimesSync(full, tenDaysAgo, tenDaysAgo);
    return full;
  };
  return {
    mount,
    doomed: [file('log/app.log.1', true), file('log/nginx/access.log.3.gz', true), file("log/it's a trap.log.2.gz", true)],
    kept: [file('log/app.log', true), file('log/app.log.1.fresh/new.log.1', false), file('data/table.1', true), file('log/recent.log.1', false)],
  };
}

/** What the one host printed for a step. */
function stdoutOf(state: Pick<RunState, 'nodes'>, nodeId: string): string {
  return (state.nodes[nodeId]!.output as { hosts: { stdout: string }[] }).hosts[0]!.stdout;
}

async function startRemediation(mount: string, host = '127.0.0.1', targetUsePercent = 100) {
  const { runbook, planHash } = shippedRunbook('disk-full-remediation');
  const params = { host, mountpoint: mount, allowedMountpoints: [mount], targetUsePercent, sshUser: 'root', sshPort: sshd.port, knownHostsFile, useSudo: false, oncallWebhookUrl: oncall.url };
  const handle = await env.client.workflow.start(runProtocol.workflowType, {
    taskQueue: worker.taskQueue,
    workflowId: `disk-full-${randomUUID()}`,
    args: [{ runbook, planHash, params, trigger: { type: 'manual', by: 'alertmanager' } } satisfies RunInput],
  });
  started.push(handle);
  let state = await handle.query<RunState>(runProtocol.queries.state);
  // Generous: ssh handshakes crawl on a loaded machine; only the order of events is asserted.
  for (let i = 0; i < 1500 && state.status === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    state = await handle.query<RunState>(runProtocol.queries.state);
  }
  if (state.status === 'running') throw new Error(`the remediation never ended or waited: ${JSON.stringify(state.nodes)}`);
  return { handle, planHash, state };
}

describe('disk-full-remediation over the ssh step against a real sshd', () => {
  it('deletes exactly the old rotated logs in log folders and says what it freed', async () => {
    const { mount, doomed, kept } = fillMount('var');
    const { state } = await startRemediation(mount);
    expect(state.status, JSON.stringify(state.error)).toBe('succeeded');
    expect(stdoutOf(state, 'measure-usage')).toContain(mount);
    const deleted = stdoutOf(state, 'delete-old-logs').trim().split('\n');
    expect(deleted[0]).toBe('freed 12288 bytes in 3 files');
    expect(deleted.slice(1).sort()).toEqual([...doomed].sort());
    for (const path of doomed) expect(existsSync(path)).toBe(false);
    for (const path of kept) expect(existsSync(path)).toBe(true);
    expect(stdoutOf(state, 'check-usage')).toMatch(/^\d+\n$/);
    expect(state.nodes['take-over']!.status).toBe('skipped');
    expect(oncall.requests.length).toBeGreaterThanOrEqual(1);
  }, 240_000);

  it('asks a person to take over when usage stays at or above the target', async () => {
    const { mount, kept } = fillMount('srv');
    const { state } = await startRemediation(mount, '127.0.0.1', 1);
    expect(state.status).toBe('waiting');
    expect(state.pendingCheckpoints.map((p) => p.nodeId)).toEqual(['take-over']);
    for (const path of kept) expect(existsSync(path)).toBe(true);
  }, 240_000);

  it('refuses a folder that is not a mount point, deleting nothing', async () => {
    const { mount, doomed, kept } = fillMount('home');
    const { state } = await startRemediation(join(mount, 'log'));
    expect(state.status).toBe('failed');
    expect(state.nodes['measure-usage']!.error?.message).toContain('is not a mount point here');
    for (const path of [...doomed, ...kept]) expect(existsSync(path)).toBe(true);
  }, 240_000);

  it('touches nothing on a host the known_hosts file does not vouch for', async () => {
    const { mount, doomed, kept } = fillMount('opt');
    // localhost is the same sshd, but known_hosts lists it only as 127.0.0.1.
    const { state } = await startRemediation(mount, 'localhost');
    expect(state.status).toBe('failed');
    expect(state.nodes['measure-usage']!.error).toMatchObject({ type: 'HostKeyRejected', message: expect.stringContaining(`[localhost]:${sshd.port} is not in ${knownHostsFile}`) });
    expect(state.nodes['delete-old-logs']!.status).toBe('skipped');
    for (const path of [...doomed, ...kept]) expect(existsSync(path)).toBe(true);
  }, 240_000);
});
