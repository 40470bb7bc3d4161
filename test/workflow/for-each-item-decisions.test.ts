import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { runProtocol, type ForEachBatchState } from '@runwright/runbook';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, edge, finalState, interpreterHarness, shell, waitForState } from './interpreter-harness.js';

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
let folder: string;
beforeAll(async () => {
  harness = await interpreterHarness();
  folder = await mkdtemp(join(tmpdir(), 'runwright-item-decisions-'));
});
afterAll(async () => {
  await harness?.stop();
  await rm(folder, { recursive: true, force: true });
});

const batchState = (workflowId: string, batch: number) =>
  harness.env.client.workflow.getHandle(`${workflowId}/fan/batch-${batch}`).query<ForEachBatchState>(runProtocol.queries.batchState);
const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return (error as WorkflowUpdateFailedError).cause?.message ?? '';
};

describe('checkpoints inside forEach items', () => {
  it('wait on the run with the item key; a decision names node and item and reaches the batch child', async () => {
    const { handle, planHash } = await harness.start(
      {
        parameters: { hosts: { type: 'list' } },
        nodes: [
          { id: 'fan', kind: 'forEach', config: { items: 'params.hosts', batchSize: 2, failureThreshold: 1 } },
          shell('drain', ['echo', 'drained {{ item }}'], { parent: 'fan' }),
          {
            id: 'gate',
            kind: 'checkpoint',
            parent: 'fan',
            config: { title: 'Host drained?', fourEyes: true, checklist: [{ id: 'looked', label: 'I looked at the host', type: 'tick', required: true }] },
          },
          shell('upgrade', ['echo', 'upgraded {{ item }}'], { parent: 'fan' }),
        ],
        edges: [edge('drain', 'gate'), edge('gate', 'upgrade')],
      },
      { hosts: ['a', 'b'] },
    );
    const waiting = await waitForState(handle, (s) => s.pendingCheckpoints.length === 2);
    expect(waiting.pendingCheckpoints.map((p) => [p.nodeId, p.item]).sort((x, y) => (x[1] as { key: string }).key.localeCompare((y[1] as { key: string }).key))).toEqual([
      ['gate', { forEachId: 'fan', key: 'a' }],
      ['gate', { forEachId: 'fan', key: 'b' }],
    ]);
    expect(waiting.pendingCheckpoints[0]).toMatchObject({ title: 'Host drained?', fourEyes: true, checklist: [{ id: 'looked', required: true }] });
    const items = await batchState(handle.workflowId, 1);
    expect([items.nodes.a!.gate!.status, items.nodes.b!.gate!.status]).toEqual(['waiting', 'waiting']);

    // The run's validator refuses, synchronously, what it would refuse for any checkpoint.
    expect(await refusal(decide(handle, planHash, { nodeId: 'gate', decision: 'approve', checklist: { looked: true } }))).toMatch(/several items \((a, b|b, a)\): name one with itemKey/);
    expect(await refusal(decide(handle, planHash, { nodeId: 'gate', itemKey: 'a', decision: 'approve', checklist: { looked: true }, user: 'alice' }))).toMatch(/four-eyes/);
    expect(await refusal(decide(handle, planHash, { nodeId: 'gate', itemKey: 'a', decision: 'approve', checklist: { looked: false } }))).toMatch(/must be ticked/);
    expect(await refusal(decide(handle, 'another-plan', { nodeId: 'gate', itemKey: 'a', decision: 'approve', checklist: { looked: true } }))).toMatch(/plan/);
    expect(await refusal(decide(handle, planHash, { nodeId: 'gate', itemKey: 'c', decision: 'approve' }))).toMatch(/no checkpoint "gate"/);

    const approved = await decide(handle, planHash, { nodeId: 'gate', itemKey: 'a', decision: 'approve', checklist: { looked: true }, comment: 'a is fine' });
    expect(approved).toMatchObject({ outcome: 'approved', decision: { by: 'bob', comment: 'a is fine' } });
    // One item left: the node id alone is enough now.
    await waitForState(handle, (s) => s.pendingCheckpoints.length === 1);
    await decide(handle, planHash, { nodeId: 'gate', decision: 'reject', comment: 'b looks wrong', user: 'carol' });

    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    expect(state.pendingCheckpoints).toEqual([]);
    expect(state.nodes.fan!.progress!.items).toEqual({ a: 'succeeded', b: 'failed' });
    const done = await batchState(handle.workflowId, 1);
    expect(done.nodes.a!.gate).toMatchObject({ status: 'succeeded', output: { outcome: 'approved', decisions: [{ by: 'bob', checklist: { looked: true } }] } });
    expect(done.nodes.a!.upgrade!.status).toBe('succeeded');
    expect(done.nodes.b!.gate).toMatchObject({ status: 'failed', error: { type: 'CheckpointRejected' } });
    expect(done.nodes.b!.upgrade!.status).toBe('skipped');
  });

  it('leave the run inbox when the run halts while they wait', async () => {
    const { handle } = await harness.start(
      {
        parameters: { hosts: { type: 'list' } },
        nodes: [
          { id: 'fan', kind: 'forEach', config: { items: 'params.hosts' } },
          { id: 'gate', kind: 'checkpoint', parent: 'fan', config: { title: 'Go?' } },
          shell('breaks', ['sh', '-c', 'sleep 1; exit 3'], { retry: { maximumAttempts: 1 } }),
        ],
        edges: [],
      },
      { hosts: ['a'] },
    );
    await waitForState(handle, (s) => s.pendingCheckpoints.length === 1);
    const { state } = await finalState(handle);
    expect(state.status).toBe('failed');
    expect(state.error).toMatchObject({ nodeId: 'breaks' });
    expect(state.pendingCheckpoints).toEqual([]);
  });
});

describe('checkpoints inside forEach items, timed and cancelled', () => {
  const gated = (gate: Record<string, unknown>) => ({
    parameters: { hosts: { type: 'list' } },
    nodes: [
      { id: 'fan', kind: 'forEach', config: { items: 'params.hosts' } },
      { id: 'gate', kind: 'checkpoint', parent: 'fan', config: { title: 'Go?', ...gate } },
    ],
  });

  it('are withdrawn from the run inbox when their own item fails meanwhile, and the run goes on', async () => {
    const { handle } = await harness.start(
      {
        parameters: { hosts: { type: 'list' } },
        nodes: [
          { id: 'fan', kind: 'forEach', config: { items: 'params.hosts', failureThreshold: 1 } },
          { id: 'gate', kind: 'checkpoint', parent: 'fan', config: { title: 'Go?' } },
          // A parallel branch of the same item fails while the gate waits.
          shell('breaks', ['sh', '-c', 'sleep 1; exit 3'], { parent: 'fan', retry: { maximumAttempts: 1 } }),
          shell('after', ['true']),
        ],
        edges: [edge('fan', 'after')],
      },
      { hosts: ['a'] },
    );
    await waitForState(handle, (s) => s.pendingCheckpoints.length === 1);
    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    expect(state.pendingCheckpoints).toEqual([]);
    expect(state.nodes.fan!.progress!.items).toEqual({ a: 'failed' });
    expect(state.nodes.after!.status).toBe('succeeded');
    expect((await batchState(handle.workflowId, 1)).nodes.a!.gate).toMatchObject({ status: 'skipped', error: { type: 'Abandoned' } });
  });

  it('time out on the run as the checkpoint says (continue), with the deadline shown while waiting', async () => {
    const { handle } = await harness.start(gated({ timeout: '1s', onTimeout: 'continue' }), { hosts: ['a'] });
    const waiting = await waitForState(handle, (s) => s.pendingCheckpoints.length === 1);
    expect(waiting.pendingCheckpoints[0]!.deadline).toEqual(expect.any(String));
    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    expect(state.nodes.fan!.progress!.items).toEqual({ a: 'succeeded' });
    expect((await batchState(handle.workflowId, 1)).nodes.a!.gate).toMatchObject({ status: 'succeeded', output: { outcome: 'timedOut' } });
  });

  it('end with the run when it is cancelled while they wait', async () => {
    const { handle } = await harness.start(gated({}), { hosts: ['a'] });
    await waitForState(handle, (s) => s.pendingCheckpoints.length === 1);
    await handle.cancel();
    const { state } = await finalState(handle);
    expect(state.status).toBe('cancelled');
    const batch = await harness.env.client.workflow.getHandle(`${handle.workflowId}/fan/batch-1`).describe();
    expect(batch.status.name).not.toBe('RUNNING');
  });
});

describe('onFailure: ask inside forEach items', () => {
  it('asks on the run for the item: retry runs the node again, rollback undoes the item', async () => {
    const log = join(folder, 'ask.log');
    const marker = join(folder, 'flaky');
    const { handle, planHash } = await harness.start(
      {
        parameters: { hosts: { type: 'list' } },
        nodes: [
          { id: 'fan', kind: 'forEach', config: { items: 'params.hosts', failureThreshold: 1 } },
          {
            id: 'prep',
            kind: 'shell',
            parent: 'fan',
            config: { command: ['true'] },
            rollback: { kind: 'shell', config: { command: ['sh', '-c', 'echo "undo prep $H" >> "$LOG"'], env: { LOG: log, H: '{{ item }}' } } },
          },
          {
            id: 'flaky',
            kind: 'shell',
            parent: 'fan',
            retry: { maximumAttempts: 1 },
            onFailure: 'ask',
            // Fails the first time for each host, like a dependency that comes back.
            config: { script: 'if [ -f "$M-$H" ]; then echo ok; else touch "$M-$H"; exit 1; fi', env: { M: marker, H: '{{ item }}' } },
          },
        ],
        edges: [edge('prep', 'flaky')],
      },
      { hosts: ['a', 'b'] },
    );
    const first = await waitForState(handle, (s) => s.pendingCheckpoints.length === 1);
    expect(first.pendingCheckpoints[0]).toMatchObject({
      nodeId: 'flaky',
      kind: 'failure',
      item: { forEachId: 'fan', key: 'a' },
      actions: ['retry', 'skip', 'rollback', 'abort'],
      failure: { type: 'UnexpectedExitCode' },
    });
    await decide(handle, planHash, { nodeId: 'flaky', itemKey: 'a', decision: 'approve', action: 'retry' });
    const second = await waitForState(handle, (s) => s.pendingCheckpoints[0]?.item?.key === 'b');
    expect(second.nodes.fan!.progress!.items.a).toBe('succeeded');
    await decide(handle, planHash, { nodeId: 'flaky', itemKey: 'b', decision: 'approve', action: 'rollback' });

    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    expect(state.nodes.fan!.progress!.items).toEqual({ a: 'succeeded', b: 'failed' });
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual(['undo prep b']);
    const batchA = await batchState(handle.workflowId, 1);
    expect(batchA.nodes.a!.flaky).toMatchObject({ status: 'succeeded', attempts: 2, retries: 1 });
    const batchB = await batchState(handle.workflowId, 2);
    expect(batchB.nodes.b!.prep!.status).toBe('rolled-back');
    expect(batchB.nodes.b!.flaky!.status).toBe('failed');
  });
});
