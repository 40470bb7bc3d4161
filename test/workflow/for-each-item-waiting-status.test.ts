import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProtocol, type ForEachBatchState } from '@runwright/runbook';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, edge, finalState, interpreterHarness, shell, stateOf, waitForState } from './interpreter-harness.js';

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
let folder: string;
beforeAll(async () => {
  harness = await interpreterHarness();
  folder = await mkdtemp(join(tmpdir(), 'runwright-item-waiting-'));
});
afterAll(async () => {
  await harness?.stop();
  await rm(folder, { recursive: true, force: true });
});

const batchState = (workflowId: string) =>
  harness.env.client.workflow.getHandle(`${workflowId}/fan/batch-1`).query<ForEachBatchState>(runProtocol.queries.batchState);

// A top-level checkpoint makes the run `waiting` while nothing else runs; checkpoints inside
// forEach items must read the same, although the items run in batch children the run cannot query.
describe('run status while forEach items wait at checkpoints', () => {
  it('stays running while another item still runs an action, and turns waiting once that item finishes', async () => {
    const release = join(folder, 'release-b');
    const { handle, planHash } = await harness.start(
      {
        parameters: { hosts: { type: 'list' } },
        nodes: [
          { id: 'fan', kind: 'forEach', config: { items: 'params.hosts', batchSize: 2 } },
          { id: 'gate', kind: 'checkpoint', parent: 'fan', when: "item = 'a'", config: { title: 'Go on with {{ item }}?' } },
          {
            id: 'work',
            kind: 'shell',
            parent: 'fan',
            when: "item = 'b'",
            // Runs until the test lets it end, so "something runs" holds for as long as the test needs.
            config: { script: 'while [ ! -f "$RELEASE" ]; do sleep 0.1; done', env: { RELEASE: release } },
          },
        ],
      },
      { hosts: ['a', 'b'] },
    );
    const asked = await waitForState(handle, (s) => s.pendingCheckpoints.length === 1);
    expect(asked.pendingCheckpoints[0]).toMatchObject({ nodeId: 'gate', item: { forEachId: 'fan', key: 'a' } });
    const items = await waitForBatch(handle.workflowId, (b) => b.nodes.b?.work?.status === 'running');
    expect(items.nodes.a!.gate!.status).toBe('waiting');
    expect((await stateOf(handle)).status).toBe('running');

    await writeFile(release, '');
    const parked = await waitForState(handle, (s) => s.status === 'waiting');
    expect(parked.pendingCheckpoints.map((p) => p.item?.key)).toEqual(['a']);
    expect(parked.nodes.fan!.status).toBe('running');

    await decide(handle, planHash, { nodeId: 'gate', itemKey: 'a', decision: 'approve' });
    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    expect(state.status).toBe('succeeded');
    expect(state.nodes.fan!.progress!.items).toEqual({ a: 'succeeded', b: 'succeeded' });
  });

  it('is waiting while the one item a lane allows waits, with the next item queued behind it', async () => {
    const { handle, planHash } = await harness.start(
      {
        parameters: { hosts: { type: 'list' } },
        nodes: [
          { id: 'fan', kind: 'forEach', config: { items: 'params.hosts', batchSize: 2, maxConcurrency: 1 } },
          { id: 'gate', kind: 'checkpoint', parent: 'fan', config: { title: 'Go on with {{ item }}?' } },
          shell('touch', ['echo', '{{ item }}'], { parent: 'fan' }),
        ],
        edges: [edge('gate', 'touch')],
      },
      { hosts: ['a', 'b'] },
    );
    const first = await waitForState(handle, (s) => s.status === 'waiting');
    expect(first.pendingCheckpoints.map((p) => p.item?.key)).toEqual(['a']);
    expect((await batchState(handle.workflowId)).items).toEqual({ a: 'running', b: 'pending' });

    await decide(handle, planHash, { nodeId: 'gate', itemKey: 'a', decision: 'approve' });
    // a's touch runs and b starts in its lane: the run reads waiting again once b asks.
    const second = await waitForState(handle, (s) => s.status === 'waiting' && s.pendingCheckpoints[0]?.item?.key === 'b');
    expect(second.pendingCheckpoints).toHaveLength(1);
    expect((await batchState(handle.workflowId)).items).toMatchObject({ a: 'succeeded' });

    await decide(handle, planHash, { nodeId: 'gate', itemKey: 'b', decision: 'approve' });
    const { state } = await finalState(handle);
    expect(state.status).toBe('succeeded');
  });
});

async function waitForBatch(workflowId: string, until: (b: ForEachBatchState) => boolean): Promise<ForEachBatchState> {
  for (let i = 0; i < 300; i++) {
    const batch = await batchState(workflowId).catch(() => undefined);
    if (batch && until(batch)) return batch;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the batch never reached the expected condition: ${JSON.stringify(await batchState(workflowId))}`);
}
