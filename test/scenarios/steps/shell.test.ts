import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityFailure, quietActivityEnvironment, runActivity } from '../../support/activities.js';
import { processAlive, processGone } from '../../support/process-alive.js';
import { finalState, startTestRun } from '../../support/run-helpers.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../../support/temporal.js';

let env: TestWorkflowEnvironment;
let worker: RunningWorker;
let folder: string;

beforeAll(async () => {
  folder = realpathSync(mkdtempSync(join(tmpdir(), 'runwright-shell-')));
  env = await connectToTestServer();
  worker = await startTestWorker(env, { kinds: ['shell'] });
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
  rmSync(folder, { recursive: true, force: true });
});

async function waitForFile(path: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    try {
      const text = readFileSync(path, 'utf8').trim();
      if (text) return text;
    } catch {
      // Not written yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${path} was never written`);
}

describe('shell on a real worker', () => {
  it('kills the whole process group when the step times out, and fails with TimedOut', async () => {
    const pidFile = join(folder, 'timeout.pid');
    const handle = await startTestRun(env, worker.taskQueue, {
      nodes: [
        {
          id: 'hangs',
          kind: 'shell',
          retry: { maximumAttempts: 1 },
          // The sleep is a grandchild: only killing the group ends it.
          config: { script: 'sleep 60 & echo $! > "$PID_FILE"; wait', env: { PID_FILE: pidFile }, timeoutMs: 500 },
        },
      ],
    });
    const state = await finalState(handle);
    expect(state.nodes.hangs).toMatchObject({ status: 'failed', error: { type: 'TimedOut', message: '/bin/sh ran longer than 500 ms; its process group was killed' } });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(await processGone(pid)).toBe(true);
  });

  it('passes values only as argv entries and env, never through a shell', async () => {
    const handle = await startTestRun(
      env,
      worker.taskQueue,
      {
        parameters: { evil: { type: 'string' } },
        nodes: [
          { id: 'argv', kind: 'shell', config: { command: ['printf', '%s|', '{{ params.evil }}', '$HOME'] } },
          { id: 'script', kind: 'shell', config: { script: 'printf "%s" "$EVIL"', env: { EVIL: '{{ params.evil }}' }, cwd: folder } },
        ],
      },
      { evil: '$(touch pwned); `id`' },
    );
    const state = await finalState(handle);
    expect(state.status).toBe('succeeded');
    expect(state.nodes.argv!.output).toMatchObject({ stdout: '$(touch pwned); `id`|$HOME|', exitCode: 0 });
    expect(state.nodes.script!.output).toMatchObject({ stdout: '$(touch pwned); `id`' });
    expect(() => readFileSync(join(folder, 'pwned'))).toThrow();
  });
});

describe('the shell activity', () => {
  it('kills the process group when the activity is cancelled', async () => {
    const pidFile = join(folder, 'cancel.pid');
    const environment = quietActivityEnvironment();
    const running = runActivity('shell', { script: 'sleep 60 & echo $! > "$PID_FILE"; wait', env: { PID_FILE: pidFile } }, { environment });
    const pid = Number(await waitForFile(pidFile));
    expect(processAlive(pid)).toBe(true);
    environment.cancel();
    const failure = await activityFailure(running);
    expect(failure).toBeInstanceOf(CancelledFailure);
    expect(await processGone(pid)).toBe(true);
  });

  it('ends background children when the main program exits', async () => {
    const result = await runActivity('shell', { script: 'sleep 60 & echo $!' });
    expect(await processGone(Number(result.output.stdout.trim()))).toBe(true);
  });

  it('caps captured output and says so', async () => {
    const result = await runActivity('shell', { command: ['head', '-c', '100000', '/dev/zero'], maxOutputBytes: 1000 });
    expect(result.output.stdout.length).toBe(1000);
    expect(result.output.truncated).toBe(true);
  });

  it('accepts the exit codes the step expects and fails typed on others', async () => {
    const accepted = await runActivity('shell', { command: ['sh', '-c', 'exit 3'], expectExitCodes: [0, 3] });
    expect(accepted.output.exitCode).toBe(3);
    const failure = await activityFailure(runActivity('shell', { command: ['sh', '-c', 'echo nope >&2; exit 2'] }));
    expect(failure).toMatchObject({ type: 'UnexpectedExitCode', message: 'sh exited with 2 (expected 0): nope', nonRetryable: false });
  });

  it('runs in the given directory with only PATH, the idempotency key and the given env', async () => {
    process.env.RUNWRIGHT_SECRET_WORKER_ONLY = 'must-not-leak';
    try {
      const result = await runActivity('shell', { command: ['sh', '-c', 'pwd; env | sort'], cwd: folder, env: { GIVEN: 'yes' } });
      const lines = result.output.stdout.trim().split('\n');
      expect(lines[0]).toBe(folder);
      expect(lines.slice(1).map((l) => l.split('=')[0]).filter((n) => n !== 'PWD' && n !== 'SHLVL' && n !== '_')).toEqual(['GIVEN', 'PATH', 'RUNWRIGHT_IDEMPOTENCY_KEY']);
      expect(result.output.stdout).toContain('RUNWRIGHT_IDEMPOTENCY_KEY=run-test/node');
    } finally {
      delete process.env.RUNWRIGHT_SECRET_WORKER_ONLY;
    }
  });

  it('fails without retrying on config that cannot work, naming the field', async () => {
    expect(await activityFailure(runActivity('shell', { command: ['/no/such/program'] }))).toMatchObject({
      type: 'InvalidConfig',
      message: 'command: cannot run "/no/such/program": ENOENT',
      nonRetryable: true,
    });
    expect(await activityFailure(runActivity('shell', { command: ['true'], cwd: '/no/such/dir' }))).toMatchObject({
      type: 'InvalidConfig',
      message: 'cwd: /no/such/dir is not a directory on this worker',
      nonRetryable: true,
    });
    expect(await activityFailure(runActivity('shell', { command: ['true'], script: 'true' }))).toMatchObject({
      type: 'InvalidConfig',
      message: 'command: give exactly one of `command` (argv) or `script`',
      nonRetryable: true,
    });
    // A template can render a non-string into env; the worker validates the rendered config again.
    expect(await activityFailure(runActivity('shell', { command: ['true'], env: { N: 5 } }))).toMatchObject({ type: 'InvalidConfig', message: expect.stringMatching(/^env\.N: /), nonRetryable: true });
  });
});
