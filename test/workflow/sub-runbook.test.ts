import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRunbook } from '../support/runbooks.js';
import { decide, edge, finalState, interpreterHarness, shell, stateOf, waitForState } from './interpreter-harness.js';

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
beforeAll(async () => {
  harness = await interpreterHarness();
});
afterAll(async () => harness?.stop());

const child = testRunbook({
  id: 'restart-service',
  title: 'Restart a service',
  parameters: { service: { type: 'string' } },
  nodes: [
    { id: 'confirm', kind: 'checkpoint', config: { title: 'Restart {{ params.service }}?' } },
    { id: 'restart', kind: 'shell', config: { command: ['echo', 'restarted {{ params.service }}'] } },
  ],
  edges: [edge('confirm', 'restart')],
});

const parent = {
  nodes: [
    shell('before', ['echo', 'api']),
    { id: 'restart-api', kind: 'subRunbook', config: { runbook: 'restart-service', params: { service: '{{ $trim(steps.before.output.stdout) }}' } } },
    shell('after', ['true']),
  ],
  edges: [edge('before', 'restart-api'), edge('restart-api', 'after')],
};

describe('sub-runbook nodes', () => {
  it('run the other runbook as a child workflow whose own state is queryable and decidable', async () => {
    const { handle } = await harness.start(parent, {}, { subRunbooks: { 'restart-service': child } });
    const running = await waitForState(handle, (s) => s.nodes['restart-api']!.child !== undefined);
    const childId = running.nodes['restart-api']!.child!.workflowId;
    expect(childId).toBe(`${handle.workflowId}/restart-api`);

    const childHandle = harness.env.client.workflow.getHandle(childId);
    const childState = await waitForState(childHandle, (s) => s.status === 'waiting');
    expect(childState).toMatchObject({ runbookId: 'restart-service', planHash: child.planHash, params: { service: 'api' }, startedBy: 'alice' });
    expect((await stateOf(handle)).nodes['restart-api']!.status).toBe('running');

    await decide(childHandle, child.planHash, { nodeId: 'confirm', decision: 'approve' });
    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    expect(state.nodes['restart-api']).toMatchObject({
      status: 'succeeded',
      output: { workflowId: childId, runbookId: 'restart-service', status: 'succeeded' },
    });
    expect(((await childHandle.result()) as { nodes: Record<string, { output: { stdout: string } }> }).nodes.restart!.output.stdout).toBe('restarted api\n');
    expect(state.nodes.after!.status).toBe('succeeded');
  });

  it('fail when the child runbook fails, and when its definition was not resolved at start', async () => {
    const failingChild = testRunbook({ id: 'broken', title: 'Broken', nodes: [shell('boom', ['false'], { retry: { maximumAttempts: 1 } })] });
    const failing = await harness.start(
      { nodes: [{ id: 'sub', kind: 'subRunbook', config: { runbook: 'broken' } }] },
      {},
      { subRunbooks: { broken: failingChild } },
    );
    const failed = await finalState(failing.handle);
    expect(failed.error).toBeInstanceOf(WorkflowFailedError);
    expect(failed.state.nodes.sub).toMatchObject({ status: 'failed', error: { type: 'RunFailed', message: expect.stringMatching(/node boom failed/) } });

    const missing = await harness.start({ nodes: [{ id: 'sub', kind: 'subRunbook', config: { runbook: 'nowhere' } }] });
    const unresolved = await finalState(missing.handle);
    expect(unresolved.state.nodes.sub).toMatchObject({ status: 'failed', error: { type: 'InvalidConfig', message: 'runbook "nowhere" was not resolved when the run started' } });
  });
});
