import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProtocol, type DecideCheckpointInput, type RunInput, type RunState } from '@runwright/runbook';
import { finalState } from '../../support/run-helpers.js';
import { shippedRunbook } from '../../support/runbooks.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../../support/temporal.js';
import { startSshd, type RunningSshd } from '../steps/servers/sshd.js';

// The shipped disk-full remediation, run for real over ssh against a real sshd on loopback:
// the remote shell parses the commands exactly as on a production host, so the quoting of the
// find expressions is what is under test, along with "nothing is deleted before approval".

let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let folder: string;
let sshd: RunningSshd;
const originalPath = process.env.PATH;
const started: { terminate(reason?: string): Promise<unknown> }[] = [];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'runwright-disk-full-'));
  chmodSync(folder, 0o755);
  mkdirSync(join(folder, 'sshd'));
  sshd = await startSshd(join(folder, 'sshd'));
  // The worker's own ssh configuration (port, key, known hosts), as an operator would set it up;
  // the runbook names only the host.
  const sshConfig = join(folder, 'ssh_config');
  writeFileSync(
    sshConfig,
    ['Host 127.0.0.1', `  Port ${sshd.port}`, `  IdentityFile ${sshd.clientKeyFile}`, '  StrictHostKeyChecking no', '  UserKnownHostsFile /dev/null', '  LogLevel ERROR', ''].join('\n'),
  );
  const shims = join(folder, 'bin');
  mkdirSync(shims);
  writeFileSync(join(shims, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F '${sshConfig}' "$@"\n`, { mode: 0o755 });
  // Activities hand their programs this process's PATH; this file runs in its own process.
  process.env.PATH = `${shims}:${originalPath}`;
  env = await connectToTestServer();
  worker = await startTestWorker(env, { kinds: ['shell'] });
}, 60_000);

afterAll(async () => {
  // A failed test can leave a run waiting at its checkpoint; it must not outlive the file.
  await Promise.all(started.map((handle) => handle.terminate('test file ended').catch(() => undefined)));
  await worker?.stop();
  process.env.PATH = originalPath;
  await sshd?.stop();
  await env?.teardown();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);

/** A mount point with rotated logs old and new, and old files the remediation must not touch. */
function fillMount(name: string) {
  const mount = join(folder, name);
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

async function startRemediation(mount: string) {
  const { runbook, planHash } = shippedRunbook('disk-full-remediation');
  const handle = await env.client.workflow.start(runProtocol.workflowType, {
    taskQueue: worker.taskQueue,
    workflowId: `disk-full-${randomUUID()}`,
    args: [{ runbook, planHash, params: { host: '127.0.0.1', mountpoint: mount, targetUsePercent: 100 }, trigger: { type: 'manual', by: 'alertmanager' } } satisfies RunInput],
  });
  started.push(handle);
  let state = await handle.query<RunState>(runProtocol.queries.state);
  // Generous: ssh handshakes crawl on a loaded machine; only the order of events is asserted.
  for (let i = 0; i < 1500 && state.status === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    state = await handle.query<RunState>(runProtocol.queries.state);
  }
  if (state.status === 'running') throw new Error(`the remediation never reached its checkpoint: ${JSON.stringify(state.nodes)}`);
  return { handle, planHash, state };
}

function decide(decision: 'approve' | 'reject', planHash: string): DecideCheckpointInput {
  return { nodeId: 'approve-deletion', decision, planHash, decider: { user: 'oncall', roles: ['approver'] }, checklist: decision === 'approve' ? { 'list-read': true } : {} };
}

describe('disk-full-remediation over real ssh', () => {
  it('lists only old rotated logs, deletes nothing before approval, then deletes exactly those', async () => {
    const { mount, doomed, kept } = fillMount('var');
    const { handle, planHash, state } = await startRemediation(mount);
    expect(state.status).toBe('waiting');
    expect(state.pendingCheckpoints.map((p) => p.nodeId)).toEqual(['approve-deletion']);
    expect((state.nodes['measure-usage']!.output as { stdout: string }).stdout).toContain(mount);
    const listed = (state.nodes['list-candidates']!.output as { stdout: string }).stdout.trim().split('\n').map((line) => line.split('\t')[1]);
    expect(listed.sort()).toEqual([...doomed].sort());
    for (const path of [...doomed, ...kept]) expect(existsSync(path)).toBe(true);

    await handle.executeUpdate(runProtocol.updates.decideCheckpoint, { args: [decide('approve', planHash)] });
    const final = await finalState(handle);
    expect(final.status).toBe('succeeded');
    expect((final.nodes['delete-old-logs']!.output as { stdout: string }).stdout.trim()).toBe('deleted files: 3');
    for (const path of doomed) expect(existsSync(path)).toBe(false);
    for (const path of kept) expect(existsSync(path)).toBe(true);
    expect((final.nodes['check-usage']!.output as { stdout: string }).stdout).toMatch(/^used=\d+% target=<100%/);
  }, 240_000);

  it('deletes nothing when the person rejects the list', async () => {
    const { mount, doomed, kept } = fillMount('srv');
    const { handle, planHash } = await startRemediation(mount);
    await handle.executeUpdate(runProtocol.updates.decideCheckpoint, { args: [decide('reject', planHash)] });
    const final = await finalState(handle);
    expect(final.status).toBe('failed');
    expect(final.nodes['delete-old-logs']!.status).toBe('skipped');
    for (const path of [...doomed, ...kept]) expect(existsSync(path)).toBe(true);
  }, 240_000);
});
