import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, edge, finalState, interpreterHarness, shell, waitForState } from './interpreter-harness.js';

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
let folder: string;
beforeAll(async () => {
  harness = await interpreterHarness();
  folder = await mkdtemp(join(tmpdir(), 'runwright-checkpoint-'));
});
afterAll(async () => {
  await harness?.stop();
  await rm(folder, { recursive: true, force: true });
});

const timed = (onTimeout: string, extra: Record<string, unknown> = {}) => ({
  parameters: { wait: { type: 'string', default: '1s' } },
  nodes: [{ id: 'gate', kind: 'checkpoint', config: { title: 'Go?', timeout: '{{ params.wait }}', onTimeout, ...extra } }, shell('after', ['true'])],
  edges: [edge('gate', 'after')],
});

describe('checkpoint timeouts: the runbook decides what no answer means', () => {
  it('fail: the node fails with a typed timeout and the run stops', async () => {
    const { handle } = await harness.start(timed('fail'));
    const waiting = await waitForState(handle, (s) => s.pendingCheckpoints.length > 0);
    expect(waiting.pendingCheckpoints[0]!.deadline).toBeDefined();
    const { state, error } = await finalState(handle);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(state.nodes.gate).toMatchObject({ status: 'failed', error: { type: 'CheckpointTimedOut', message: 'no decision within 1s' } });
    expect(state.nodes.after!.status).toBe('skipped');
    expect(state.pendingCheckpoints).toEqual([]);
  });

  it('continue: the outcome is the value timedOut and the run goes on', async () => {
    const { handle } = await harness.start(timed('continue'));
    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    expect(state.nodes.gate).toMatchObject({ status: 'succeeded', output: { outcome: 'timedOut', decisions: [] } });
    expect(state.nodes.after!.status).toBe('succeeded');
  });

  it('escalate: runs the escalation action at each timeout and keeps waiting', async () => {
    const log = join(folder, 'escalations.log');
    const escalate = { kind: 'shell', config: { command: ['sh', '-c', 'echo paged >> "$LOG"'], env: { LOG: log } } };
    const { handle, planHash } = await harness.start(timed('escalate', { escalate }));
    const escalated = await waitForState(handle, (s) => (s.pendingCheckpoints[0]?.escalations ?? 0) >= 2);
    expect(escalated.nodes.gate!.status).toBe('waiting');
    await decide(handle, planHash, { nodeId: 'gate', decision: 'approve', comment: 'finally' });
    const { state } = await finalState(handle);
    const pages = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(state.nodes.gate).toMatchObject({ status: 'succeeded', output: { outcome: 'approved', escalations: pages.length } });
    expect(state.nodes.after!.status).toBe('succeeded');
  });
});

describe('N-of-M quorum', () => {
  it('needs two distinct approvals from the named approvers', async () => {
    const { handle, planHash } = await harness.start({
      nodes: [
        { id: 'gate', kind: 'checkpoint', config: { title: 'Two of three', quorum: 2, approvers: { roles: [], users: ['bob', 'carol', 'dave'] } } },
        shell('after', ['true']),
      ],
      edges: [edge('gate', 'after')],
    });
    await waitForState(handle, (s) => s.pendingCheckpoints.length > 0);
    expect(await decide(handle, planHash, { nodeId: 'gate', decision: 'approve', user: 'bob' })).toMatchObject({ outcome: 'pending' });

    const again = await decide(handle, planHash, { nodeId: 'gate', decision: 'approve', user: 'bob' }).catch((e: unknown) => e);
    expect((again as WorkflowUpdateFailedError).cause?.message).toMatch(/bob has already decided/);
    const outsider = await decide(handle, planHash, { nodeId: 'gate', decision: 'approve', user: 'eve' }).catch((e: unknown) => e);
    expect((outsider as WorkflowUpdateFailedError).cause?.message).toMatch(/eve may not decide/);

    const half = await waitForState(handle, (s) => s.pendingCheckpoints[0]?.approvals.length === 1);
    expect(half.nodes.gate!.status).toBe('waiting');
    expect(half.nodes.after!.status).toBe('pending');

    expect(await decide(handle, planHash, { nodeId: 'gate', decision: 'approve', user: 'carol' })).toMatchObject({ outcome: 'approved' });
    const { state } = await finalState(handle);
    expect(state.nodes.gate!.output).toMatchObject({ outcome: 'approved', decisions: [{ by: 'bob' }, { by: 'carol' }] });
    expect(state.nodes.after!.status).toBe('succeeded');
  });
});
