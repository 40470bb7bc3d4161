import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runProtocol, type RunInput, type RunState } from '@runwright/runbook';
import { testRunbook } from '../support/runbooks.js';
import { connectToTestServer } from '../support/temporal.js';
import { decide, edge, waitForState } from './interpreter-harness.js';

const root = resolve(import.meta.dirname, '../..');
let env: TestWorkflowEnvironment;
let folder: string;
const started: ChildProcess[] = [];

beforeAll(async () => {
  env = await connectToTestServer();
  folder = await mkdtemp(join(tmpdir(), 'runwright-crash-'));
});
afterAll(async () => {
  for (const worker of started) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  const orphan = Number(await readFile(join(folder, 'step-started'), 'utf8').catch(() => ''));
  if (orphan > 0) {
    try {
      process.kill(orphan, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await env?.teardown();
  await rm(folder, { recursive: true, force: true });
});

/** The real worker entry point (`workers/src/main.ts`) as its own process, polling `taskQueue`. */
async function startWorkerProcess(taskQueue: string): Promise<ChildProcess> {
  // Node itself with tsx's loader, not the `tsx` wrapper: the wrapper runs the program in a child
  // process, so killing it would leave the real worker alive.
  const worker = spawn(process.execPath, ['--import', 'tsx', 'workers/src/main.ts'], {
    cwd: root,
    env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), RUNWRIGHT_TASK_QUEUE: taskQueue, RUNWRIGHT_LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(worker);
  let output = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`worker did not start: ${output}`)), 120_000);
    worker.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker polling task queue')) {
        clearTimeout(timer);
        ready();
      }
    });
    worker.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.on('exit', (code) => fail(new Error(`worker exited with ${code}: ${output}`)));
  });
  return worker;
}

describe('a worker killed mid-run', () => {
  it('is replaced by a new worker and the run finishes where it was', { timeout: 300_000 }, async () => {
    const taskQueue = `crash-${randomUUID()}`;
    const running = join(folder, 'step-started');
    const { runbook, planHash } = testRunbook({
      parameters: { marker: { type: 'string' } },
      nodes: [
        // The first attempt signals it started, then outlives the worker that runs it.
        {
          id: 'long-step',
          kind: 'shell',
          timeout: '5s',
          retry: { maximumAttempts: 3, initialInterval: '100ms' },
          // It records its pid so the test can stop the orphan the killed worker leaves behind.
          config: { script: 'if [ -f "$MARKER" ]; then echo second; else echo $$ > "$MARKER"; exec sleep 30; fi', env: { MARKER: '{{ params.marker }}' } },
        },
        { id: 'confirm', kind: 'checkpoint', config: { title: 'Carry on after the crash?' } },
        { id: 'finish', kind: 'shell', config: { command: ['echo', 'done'] } },
      ],
      edges: [edge('long-step', 'confirm'), edge('confirm', 'finish')],
    });

    const first = await startWorkerProcess(taskQueue);
    const handle = await env.client.workflow.start(runProtocol.workflowType, {
      taskQueue,
      workflowId: `crash-${randomUUID()}`,
      args: [{ runbook, planHash, params: { marker: running }, trigger: { type: 'manual', by: 'alice' } } satisfies RunInput],
    });
    for (let i = 0; i < 600 && !existsSync(running); i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(running)).toBe(true);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    await startWorkerProcess(taskQueue);
    await waitForState(handle, (s) => s.status === 'waiting', 600);
    await decide(handle, planHash, { nodeId: 'confirm', decision: 'approve' });
    const state = (await handle.result()) as RunState;
    expect(state.status).toBe('succeeded');
    // The killed attempt timed out and a second attempt, on the new worker, finished the step.
    expect(state.nodes['long-step']).toMatchObject({ status: 'succeeded', attempts: 2, output: { stdout: 'second\n' } });
    expect(state.nodes.finish).toMatchObject({ status: 'succeeded', output: { stdout: 'done\n' } });
  });
});
