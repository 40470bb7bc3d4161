import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProtocol, type RunInput, type RunState } from '@runwright/runbook';
import { testRunbook } from '../support/runbooks.js';
import { connectToTestServer, startTestWorker, type RunningWorker } from '../support/temporal.js';

let env: TestWorkflowEnvironment;
let central: RunningWorker;
let site: RunningWorker;

beforeAll(async () => {
  env = await connectToTestServer();
  // The central worker runs the interpreter but offers no shell; only the site worker can run one.
  central = await startTestWorker(env, { kinds: ['http'] });
  site = await startTestWorker(env, { taskQueue: `site-${randomUUID()}`, kinds: ['shell'], workflows: false });
});
afterAll(async () => {
  await site?.stop();
  await central?.stop();
  await env?.teardown();
});

describe('runsOn', () => {
  it('routes an action node to the worker polling the named task queue', async () => {
    const { runbook, planHash } = testRunbook({
      nodes: [{ id: 'on-site', kind: 'shell', runsOn: site.taskQueue, retry: { maximumAttempts: 1 }, config: { command: ['echo', 'ran on the site worker'] } }],
    });
    const handle = await env.client.workflow.start(runProtocol.workflowType, {
      taskQueue: central.taskQueue,
      workflowId: `runs-on-${randomUUID()}`,
      args: [{ runbook, planHash, params: {}, trigger: { type: 'manual', by: 'alice' } } satisfies RunInput],
    });
    const state = (await handle.result()) as RunState;
    expect(state.nodes['on-site']).toMatchObject({ status: 'succeeded', output: { stdout: 'ran on the site worker\n' } });
    const scheduled = (await handle.fetchHistory()).events!.filter((e) => e.activityTaskScheduledEventAttributes);
    expect(scheduled.map((e) => e.activityTaskScheduledEventAttributes!.taskQueue!.name)).toEqual([site.taskQueue]);
  });
});
