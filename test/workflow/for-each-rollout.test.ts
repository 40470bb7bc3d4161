import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { runProtocol, type ForEachBatchState } from '@runwright/runbook';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, edge, finalState, interpreterHarness, shell, waitForState } from './interpreter-harness.js';

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
beforeAll(async () => {
  harness = await interpreterHarness();
});
afterAll(async () => harness?.stop());

/** A rollout over `params.hosts`: per host, deploy (fails for hosts named bad-*) then verify. */
function rollout(forEachConfig: Record<string, unknown>) {
  return {
    parameters: { hosts: { type: 'list' } },
    nodes: [
      shell('prepare', ['echo', 'v2']),
      { id: 'fan', kind: 'forEach', config: { items: 'params.hosts', ...forEachConfig } },
      {
        id: 'deploy',
        kind: 'shell',
        parent: 'fan',
        retry: { maximumAttempts: 1 },
        config: {
          script: 'case "$HOST" in bad-*) echo "cannot reach $HOST" >&2; exit 1;; esac; echo "$VERSION on $HOST"',
          env: { HOST: '{{ item }}', VERSION: '{{ $trim(steps.prepare.output.stdout) }}' },
        },
      },
      { id: 'verify', kind: 'shell', parent: 'fan', config: { command: ['echo', 'verified {{ item }}'] } },
      shell('announce', ['true']),
    ],
    edges: [edge('prepare', 'fan'), edge('deploy', 'verify'), edge('fan', 'announce')],
  };
}

describe('forEach rollouts', () => {
  it('runs the sub-graph per item in batches, one child workflow per batch, with per-item status', async () => {
    const hosts = ['web-1', 'web-2', 'web-3', 'web-4', 'web-5'];
    const { handle } = await harness.start(rollout({ batchSize: '40%', maxConcurrency: 2 }), { hosts });
    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    expect(state.nodes.fan!.progress).toEqual({
      total: 5,
      batches: 3,
      batchesDone: 3,
      halted: false,
      items: Object.fromEntries(hosts.map((h) => [h, 'succeeded'])),
    });
    expect(state.nodes.fan!.output).toMatchObject({ total: 5, succeeded: 5, failed: 0, skipped: 0 });
    expect(state.nodes.announce!.status).toBe('succeeded');
    // The sub-graph's nodes belong to the forEach, not to the outer graph.
    expect(Object.keys(state.nodes).sort()).toEqual(['announce', 'fan', 'prepare']);

    for (const n of [1, 2, 3]) {
      const child = await harness.env.client.workflow.getHandle(`${handle.workflowId}/fan/batch-${n}`).describe();
      expect(child).toMatchObject({ type: 'forEachBatch', status: { name: 'COMPLETED' } });
    }
    const noFourth = await harness.env.client.workflow.getHandle(`${handle.workflowId}/fan/batch-4`).describe().catch((e: unknown) => e);
    expect(noFourth).toBeInstanceOf(WorkflowNotFoundError);
    const batchOne = await harness.env.client.workflow.getHandle(`${handle.workflowId}/fan/batch-1`).result();
    expect(batchOne).toEqual([
      { key: 'web-1', status: 'succeeded' },
      { key: 'web-2', status: 'succeeded' },
    ]);
  });

  it('halts the rollout when failures pass the threshold: no further batch starts', async () => {
    const hosts = ['web-1', 'web-2', 'bad-3', 'web-4', 'web-5', 'web-6'];
    const { handle } = await harness.start(rollout({ batchSize: 2, failureThreshold: 0 }), { hosts });
    const { state, error } = await finalState(handle);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(state.nodes.fan).toMatchObject({
      status: 'failed',
      error: { type: 'FailureThresholdExceeded', message: expect.stringMatching(/^1 of 6 items failed \(tolerated: 0\): bad-3: .+ — the rollout halted after batch 2 of 3$/) },
      progress: {
        halted: true,
        batchesDone: 2,
        items: { 'web-1': 'succeeded', 'web-2': 'succeeded', 'bad-3': 'failed', 'web-4': 'succeeded', 'web-5': 'skipped', 'web-6': 'skipped' },
      },
    });
    expect(state.nodes.announce!.status).toBe('skipped');
  });

  it('tolerates failures up to a percentage threshold', async () => {
    const hosts = ['web-1', 'bad-2', 'web-3', 'web-4'];
    const { handle } = await harness.start(rollout({ batchSize: 2, failureThreshold: '25%' }), { hosts });
    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    expect(state.nodes.fan!.output).toMatchObject({ total: 4, succeeded: 3, failed: 1, halted: false });
    expect(state.nodes.fan!.output).toMatchObject({ failures: [{ key: 'bad-2', error: expect.stringMatching(/^deploy: .*cannot reach bad-2/) }] });
  });

  it('shows item-by-item progress of the running batch through the batch child query', async () => {
    const go = join(await mkdtemp(join(tmpdir(), 'runwright-for-each-')), 'go');
    const { handle } = await harness.start(
      {
        parameters: { hosts: { type: 'list' }, go: { type: 'string' } },
        nodes: [
          { id: 'fan', kind: 'forEach', config: { items: 'params.hosts', batchSize: 2, maxConcurrency: 2 } },
          // The slow host waits (at most a minute) for the test's go-ahead, so the batch is seen half done.
          { id: 'work', kind: 'shell', parent: 'fan', config: { script: 'if [ "$HOST" = slow ]; then i=0; while [ ! -f "$GO" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; fi', env: { HOST: '{{ item }}', GO: '{{ params.go }}' } } },
        ],
      },
      { hosts: ['quick', 'slow'], go },
    );
    const running = await waitForState(handle, (s) => s.nodes.fan!.progress?.currentBatch !== undefined);
    const batch = harness.env.client.workflow.getHandle(running.nodes.fan!.progress!.currentBatch!);
    let live: ForEachBatchState | undefined;
    for (let i = 0; i < 200 && live?.items.quick !== 'succeeded'; i++) {
      live = await batch.query<ForEachBatchState>(runProtocol.queries.batchState);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(live).toMatchObject({ items: { quick: 'succeeded', slow: 'running' }, nodes: { quick: { work: { status: 'succeeded' } }, slow: { work: { status: 'running' } } } });
    await writeFile(go, '');
    const { state } = await finalState(handle);
    expect(state.nodes.fan!.progress).toMatchObject({ items: { quick: 'succeeded', slow: 'succeeded' } });
    expect(state.nodes.fan!.progress!.currentBatch).toBeUndefined();
    await rm(dirname(go), { recursive: true, force: true });
  });

  it('runs a canary batch first, soaks it and waits for its sign-off before the rest', async () => {
    const hosts = ['web-1', 'web-2', 'web-3'];
    const canary = {
      size: 1,
      observe: { duration: '300ms', interval: '100ms', guards: [{ name: 'healthy', check: { kind: 'shell', config: { command: ['true'] } } }] },
      checkpoint: { title: 'Canary looks good?', checklist: [{ id: 'dashboards', label: 'Dashboards are green' }] },
    };
    const { handle, planHash } = await harness.start(rollout({ batchSize: 2, canary }), { hosts });
    const waiting = await waitForState(handle, (s) => s.pendingCheckpoints.length > 0);
    expect(waiting.pendingCheckpoints[0]).toMatchObject({ nodeId: 'fan.canary', title: 'Canary looks good?' });
    expect(waiting.nodes.fan).toMatchObject({ status: 'waiting', progress: { batchesDone: 1, items: { 'web-1': 'succeeded', 'web-2': 'pending', 'web-3': 'pending' } } });
    await decide(handle, planHash, { nodeId: 'fan.canary', decision: 'approve', checklist: { dashboards: true } });
    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    expect(state.nodes.fan!.progress).toMatchObject({ batches: 2, batchesDone: 2, items: { 'web-2': 'succeeded', 'web-3': 'succeeded' } });
  });
});
