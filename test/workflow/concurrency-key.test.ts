import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, finalState, interpreterHarness, stateOf, waitForState } from './interpreter-harness.js';

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
beforeAll(async () => {
  harness = await interpreterHarness();
});
afterAll(async () => harness?.stop());

const perCluster = (onConflict: 'wait' | 'refuse') => ({
  parameters: { cluster: { type: 'string' } },
  concurrency: { key: '{{ params.cluster }}', onConflict },
  nodes: [{ id: 'gate', kind: 'checkpoint', config: { title: 'Hold the key until approved' } }],
});
const approve = (run: { handle: Parameters<typeof decide>[0]; planHash: string }) => decide(run.handle, run.planHash, { nodeId: 'gate', decision: 'approve' });

describe('the concurrency key', () => {
  it('makes a second run for the same key wait until the first ends; other keys run at once', async () => {
    const east = `east-${randomUUID().slice(0, 8)}`;
    const first = await harness.start(perCluster('wait'), { cluster: east });
    await waitForState(first.handle, (s) => s.nodes.gate!.status === 'waiting');
    expect((await stateOf(first.handle)).concurrency).toEqual({ key: east, status: 'held' });

    const second = await harness.start(perCluster('wait'), { cluster: east });
    const other = await harness.start(perCluster('wait'), { cluster: `west-${randomUUID().slice(0, 8)}` });
    // The other key is free: that run reaches its checkpoint while the second still waits.
    await waitForState(other.handle, (s) => s.nodes.gate!.status === 'waiting');
    const queued = await stateOf(second.handle);
    expect(queued.concurrency).toEqual({ key: east, status: 'waiting' });
    expect(queued.nodes.gate!.status).toBe('pending');

    await approve(first);
    expect((await finalState(first.handle)).state.concurrency).toEqual({ key: east, status: 'released' });
    await waitForState(second.handle, (s) => s.nodes.gate!.status === 'waiting');
    expect((await stateOf(second.handle)).concurrency!.status).toBe('held');
    await approve(second);
    await approve(other);
    expect((await finalState(second.handle)).state.status).toBe('succeeded');
    expect((await finalState(other.handle)).state.status).toBe('succeeded');
  });

  it('refuses a second run for a held key when the runbook says so', async () => {
    const cluster = `east-${randomUUID().slice(0, 8)}`;
    const first = await harness.start(perCluster('refuse'), { cluster });
    await waitForState(first.handle, (s) => s.nodes.gate!.status === 'waiting');
    const second = await harness.start(perCluster('refuse'), { cluster });
    const { state, error } = await finalState(second.handle);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(state.status).toBe('failed');
    expect(state.concurrency).toEqual({ key: cluster, status: 'refused', holder: first.handle.workflowId });
    expect(state.nodes.gate!.status).toBe('pending');

    // Once the holder ends, the key is free again.
    await approve(first);
    await finalState(first.handle);
    const third = await harness.start(perCluster('refuse'), { cluster });
    await waitForState(third.handle, (s) => s.nodes.gate!.status === 'waiting');
    await approve(third);
    expect((await finalState(third.handle)).state.status).toBe('succeeded');
  });
});
