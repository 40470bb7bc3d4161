import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProtocol, type RunInput, type RunState } from '@runwright/runbook';
import { testRunbook } from '../support/runbooks.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../support/temporal.js';

let env: TestWorkflowEnvironment;
let worker: RunningWorker;

beforeAll(async () => {
  env = await connectToTestServer();
  worker = await startTestWorker(env);
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
});

describe('a run started with bad parameters by a client other than the API', () => {
  it('is refused before any step runs, and its state says why', async () => {
    const { runbook, planHash } = testRunbook({
      parameters: { replicas: { type: 'number', min: 1 } },
      nodes: [{ id: 'scale', kind: 'shell', config: { command: ['echo', '{{ params.replicas }}'] } }],
    });
    const handle = await env.client.workflow.start(runProtocol.workflowType, {
      taskQueue: worker.taskQueue,
      workflowId: `invalid-params-${randomUUID()}`,
      args: [{ runbook, planHash, params: { replicas: 0, extra: true }, trigger: { type: 'manual', by: 'alice' } } satisfies RunInput],
    });
    const error = await handle.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const state = await handle.query<RunState>(runProtocol.queries.state);
    expect(state.status).toBe('failed');
    expect(state.error?.message).toMatch(/^invalid parameters: /);
    expect(state.error?.message).toContain('params.replicas');
    expect(state.nodes.scale!.status).toBe('pending');
    const scheduled = (await handle.fetchHistory()).events!.filter((e) => e.activityTaskScheduledEventAttributes);
    expect(scheduled).toHaveLength(0);
  });
});
