import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, finalState, interpreterHarness } from './interpreter-harness.js';

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
let folder: string;
beforeAll(async () => {
  harness = await interpreterHarness();
  folder = await mkdtemp(join(tmpdir(), 'runwright-resume-'));
});
afterAll(async () => {
  await harness?.stop();
  await rm(folder, { recursive: true, force: true });
});

describe('resuming a failed run from a chosen node', () => {
  it('reuses the completed nodes outputs, reruns from the node on, and records the link', async () => {
    const log = join(folder, 'snapshot.log');
    const ready = join(folder, 'replica-ready');
    const runbook = {
      parameters: { log: { type: 'string' }, ready: { type: 'string' } },
      nodes: [
        // Takes a snapshot with a unique name: running it again would give another name.
        { id: 'snapshot', kind: 'shell', config: { script: 'name="snap-$(date +%s%N)"; echo "$name" >> "$LOG"; echo "$name"', env: { LOG: '{{ params.log }}' } } },
        {
          id: 'promote',
          kind: 'shell',
          retry: { maximumAttempts: 1 },
          config: { script: 'test -f "$READY" || { echo "replica not ready" >&2; exit 1; }; echo "promoted from $SNAP"', env: { READY: '{{ params.ready }}', SNAP: '{{ $trim(steps.snapshot.output.stdout) }}' } },
        },
        { id: 'announce', kind: 'shell', config: { command: ['true'] } },
      ],
      edges: [edge('snapshot', 'promote'), edge('promote', 'announce')],
    };
    const params = { log, ready };
    const first = await harness.start(runbook, params);
    const failed = await finalState(first.handle);
    expect(failed.error).toBeInstanceOf(WorkflowFailedError);
    expect(failed.state.nodes.promote!.status).toBe('failed');

    await writeFile(ready, '');
    const completed = Object.fromEntries(
      Object.entries(failed.state.nodes).filter(([, n]) => n.status === 'succeeded').map(([id, n]) => [id, { output: n.output }]),
    );
    const second = await harness.start(runbook, params, { resume: { fromWorkflowId: first.handle.workflowId, fromNode: 'promote', completed } });
    const { state, error } = await finalState(second.handle);
    expect(error).toBeUndefined();
    expect(state.resumedFrom).toEqual({ workflowId: first.handle.workflowId, node: 'promote' });
    const snapshots = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
    expect(snapshots).toHaveLength(1);
    expect(state.nodes.snapshot).toMatchObject({ status: 'succeeded', resumedFrom: first.handle.workflowId, output: { stdout: `${snapshots[0]}\n` } });
    expect(state.nodes.promote).toMatchObject({ status: 'succeeded', output: { stdout: `promoted from ${snapshots[0]}\n` } });
    expect(state.nodes.promote!.resumedFrom).toBeUndefined();
    expect(state.nodes.announce!.status).toBe('succeeded');
  });
});
