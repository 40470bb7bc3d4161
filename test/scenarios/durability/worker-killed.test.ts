// Kill the worker process (SIGKILL) in the middle of a run and start a new one: the run
// finishes. The new worker replays the workflow from history and retries the step whose
// heartbeats stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runProtocol, type RunInput, type RunState } from '@runwright/runbook';
import { testRunbook } from '../../support/runbooks.js';
import { connectToTestServer } from '../../support/temporal.js';

const root = resolve(import.meta.dirname, '../../..');
let env: TestWorkflowEnvironment;
const taskQueue = `durability-${randomUUID()}`;
const workers: ChildProcess[] = [];

/** The real worker entry point, as its own process. */
async function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/src/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), RUNWRIGHT_TASK_QUEUE: taskQueue, RUNWRIGHT_LOG_FORMAT: 'json' },
  });
  workers.push(child);
  let output = '';
  await new Promise<void>((ready, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker polling task queue')) ready();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => fail(new Error(`worker exited with ${code}:\n${output}`)));
  });
  return child;
}

beforeAll(async () => {
  env = await connectToTestServer();
});

afterAll(async () => {
  for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  await env?.teardown();
});

describe('a worker killed mid-run', () => {
  it('leaves a run that a new worker finishes', async () => {
    const { runbook, planHash } = testRunbook({
      nodes: [
        { id: 'first', kind: 'shell', config: { command: ['echo', 'one'] } },
        { id: 'slow', kind: 'shell', heartbeat: '3s', timeout: '1m', config: { command: ['sh', '-c', 'sleep 2; echo slow done'] } },
        { id: 'last', kind: 'shell', config: { command: ['echo', 'three'] } },
      ],
      edges: [
        { from: 'first', to: 'slow' },
        { from: 'slow', to: 'last' },
      ],
    });
    const first = await startWorkerProcess();
    const input: RunInput = { runbook, planHash, params: {}, trigger: { type: 'manual', by: 'alice' } };
    const handle = await env.client.workflow.start(runProtocol.workflowType, { taskQueue, workflowId: `durability-${randomUUID()}`, args: [input] });

    for (let i = 0; i < 200; i++) {
      const state = await handle.query<RunState>(runProtocol.queries.state);
      if (state.nodes.slow!.status === 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    await startWorkerProcess();
    const final = (await handle.result()) as RunState;
    expect(final.status).toBe('succeeded');
    expect(final.nodes.first).toMatchObject({ status: 'succeeded', attempts: 1 });
    // The step the dead worker was running is retried once its heartbeats stop.
    expect(final.nodes.slow).toMatchObject({ status: 'succeeded', attempts: 2, output: { stdout: 'slow done\n' } });
    expect(final.nodes.last!.status).toBe('succeeded');
  });
});
