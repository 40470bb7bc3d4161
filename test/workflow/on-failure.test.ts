import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, edge, finalState, interpreterHarness, shell, stateOf, waitForState } from './interpreter-harness.js';

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
let folder: string;
beforeAll(async () => {
  harness = await interpreterHarness();
  folder = await mkdtemp(join(tmpdir(), 'runwright-on-failure-'));
});
afterAll(async () => {
  await harness?.stop();
  await rm(folder, { recursive: true, force: true });
});

const once = { maximumAttempts: 1 };
const failing = (id: string, extra: Record<string, unknown> = {}) => shell(id, ['sh', '-c', 'echo broken >&2; exit 7'], { retry: once, ...extra });
/** A rollback action that appends its node's name to a log file, so the order is visible. */
const logRollback = (log: string, name: string) => ({ kind: 'shell', config: { command: ['sh', '-c', `echo ${name} >> "$LOG"`], env: { LOG: log } } });
const lines = async (file: string) => (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);

describe('onFailure: stop', () => {
  it('starts nothing new after a failure and abandons checkpoints waiting in parallel branches', async () => {
    const { handle } = await harness.start({
      nodes: [
        shell('root', ['true']),
        failing('breaks'),
        shell('slow', ['sleep', '1']),
        shell('after-slow', ['true']),
        { id: 'gate', kind: 'checkpoint', config: { title: 'Never decided' } },
        shell('after-gate', ['true']),
      ],
      edges: [edge('root', 'breaks'), edge('root', 'slow'), edge('slow', 'after-slow'), edge('root', 'gate'), edge('gate', 'after-gate')],
    });
    // Nobody decides the gate: the run must end on its own.
    const { state, error } = await finalState(handle);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(state.status).toBe('failed');
    expect(state.error).toMatchObject({ nodeId: 'breaks' });
    expect(state.nodes.breaks).toMatchObject({ status: 'failed', error: { type: 'UnexpectedExitCode' } });
    expect(state.nodes.slow!.status).toBe('succeeded');
    expect(state.nodes['after-slow']!.status).toBe('skipped');
    expect(state.nodes.gate).toMatchObject({ status: 'skipped', error: { type: 'Abandoned' } });
    expect(state.nodes['after-gate']!.status).toBe('skipped');
    expect(state.pendingCheckpoints).toEqual([]);
  });
});

describe('onFailure: rollback', () => {
  it('rolls back completed nodes in reverse completion order', async () => {
    const log = join(folder, 'rollback-order.log');
    const { handle } = await harness.start({
      defaults: { timeout: '1m', onFailure: 'rollback' },
      nodes: [
        // `first` completes last (it sleeps), so it must be rolled back first.
        shell('first', ['sleep', '1'], { rollback: logRollback(log, 'first') }),
        shell('second', ['true'], { rollback: logRollback(log, 'second') }),
        shell('no-undo', ['true']),
        failing('breaks'),
      ],
      edges: [edge('first', 'breaks'), edge('second', 'breaks'), edge('no-undo', 'breaks')],
    });
    const { state, error } = await finalState(handle);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(state.nodes.second!.endedAt! <= state.nodes.first!.endedAt!).toBe(true);
    expect(await lines(log)).toEqual(['first', 'second']);
    expect(state.nodes.first!.status).toBe('rolled-back');
    expect(state.nodes.second!.status).toBe('rolled-back');
    expect(state.nodes['no-undo']!.status).toBe('succeeded');
    expect(state.nodes.breaks!.status).toBe('failed');
    expect(state.status).toBe('failed');
  });

  it('rolls back when the run is cancelled and the runbook asks for it', async () => {
    const log = join(folder, 'cancel.log');
    const { handle } = await harness.start({
      defaults: { timeout: '1m', rollbackOnCancel: true },
      nodes: [shell('change', ['true'], { rollback: logRollback(log, 'change') }), { id: 'gate', kind: 'checkpoint', config: { title: 'Go on?' } }],
      edges: [edge('change', 'gate')],
    });
    await waitForState(handle, (s) => s.status === 'waiting');
    await handle.cancel();
    const { state, error } = await finalState(handle);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(state.status).toBe('cancelled');
    expect(state.nodes.change!.status).toBe('rolled-back');
    expect(await lines(log)).toEqual(['change']);
  });

  it('does not roll back on cancel unless the runbook asks for it', async () => {
    const log = join(folder, 'cancel-no.log');
    const { handle } = await harness.start({
      nodes: [shell('change', ['true'], { rollback: logRollback(log, 'change') }), { id: 'gate', kind: 'checkpoint', config: { title: 'Go on?' } }],
      edges: [edge('change', 'gate')],
    });
    await waitForState(handle, (s) => s.status === 'waiting');
    await handle.cancel();
    const { state } = await finalState(handle);
    expect(state.status).toBe('cancelled');
    expect(state.nodes.change!.status).toBe('succeeded');
    expect(await lines(log)).toEqual([]);
  });
});

describe('onFailure: ask', () => {
  // Fails on its first run and succeeds afterwards, like a flaky dependency a person retries.
  const flaky = (marker: string) =>
    shell('flaky', ['sh', '-c', 'if [ -f "$M" ]; then echo recovered; else touch "$M"; echo down >&2; exit 1; fi'], {
      retry: once,
      onFailure: 'ask',
    });
  const withEnv = (node: ReturnType<typeof shell>, env: Record<string, string>) => ({ ...node, config: { ...(node.config as object), env } });

  it('opens a failure checkpoint; retry runs the node again and the run goes on', async () => {
    const marker = join(folder, 'flaky-retry');
    const { handle, planHash } = await harness.start({
      nodes: [withEnv(flaky(marker), { M: marker }), shell('after', ['true'])],
      edges: [edge('flaky', 'after')],
    });
    const waiting = await waitForState(handle, (s) => s.pendingCheckpoints.length > 0);
    expect(waiting.status).toBe('waiting');
    expect(waiting.nodes.flaky).toMatchObject({ status: 'waiting', error: { type: 'UnexpectedExitCode' } });
    expect(waiting.pendingCheckpoints[0]).toMatchObject({ nodeId: 'flaky', kind: 'failure', actions: ['retry', 'skip', 'abort'], failure: { type: 'UnexpectedExitCode' } });

    const refused = await decide(handle, planHash, { nodeId: 'flaky', decision: 'approve' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause?.message).toMatch(/choose an action for the failed node: one of retry, skip, abort/);

    const result = await decide(handle, planHash, { nodeId: 'flaky', decision: 'approve', action: 'retry', comment: 'dependency is back' });
    expect(result).toMatchObject({ outcome: 'approved', action: 'retry' });
    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    // One failed attempt, then the round the person started: two attempts, one retry.
    expect(state.nodes.flaky).toMatchObject({ status: 'succeeded', attempts: 2, retries: 1, output: { stdout: 'recovered\n' } });
    expect(state.nodes.after!.status).toBe('succeeded');
  });

  it('skip leaves the node skipped and lets its successors run; abort fails the run', async () => {
    const skipping = await harness.start({
      nodes: [failing('breaks', { onFailure: 'ask' }), shell('after', ['true'])],
      edges: [edge('breaks', 'after')],
    });
    await waitForState(skipping.handle, (s) => s.pendingCheckpoints.length > 0);
    await decide(skipping.handle, skipping.planHash, { nodeId: 'breaks', decision: 'approve', action: 'skip' });
    const skipped = await finalState(skipping.handle);
    expect(skipped.error).toBeUndefined();
    expect(skipped.state.nodes.breaks).toMatchObject({ status: 'skipped', error: { type: 'UnexpectedExitCode' } });
    expect(skipped.state.nodes.after!.status).toBe('succeeded');

    const aborting = await harness.start({
      nodes: [failing('breaks', { onFailure: 'ask' }), shell('after', ['true'])],
      edges: [edge('breaks', 'after')],
    });
    await waitForState(aborting.handle, (s) => s.pendingCheckpoints.length > 0);
    await decide(aborting.handle, aborting.planHash, { nodeId: 'breaks', decision: 'approve', action: 'abort' });
    const aborted = await finalState(aborting.handle);
    expect(aborted.error).toBeInstanceOf(WorkflowFailedError);
    expect(aborted.state.nodes.after!.status).toBe('skipped');
    expect(aborted.state.status).toBe('failed');
  });

  it('rollback chosen by a person rolls back what completed', async () => {
    const log = join(folder, 'ask-rollback.log');
    const { handle, planHash } = await harness.start({
      nodes: [shell('change', ['true'], { rollback: logRollback(log, 'change') }), failing('breaks', { onFailure: 'ask' })],
      edges: [edge('change', 'breaks')],
    });
    const waiting = await waitForState(handle, (s) => s.pendingCheckpoints.length > 0);
    expect(waiting.pendingCheckpoints[0]!.actions).toEqual(['retry', 'skip', 'rollback', 'abort']);
    await decide(handle, planHash, { nodeId: 'breaks', decision: 'approve', action: 'rollback' });
    const { state } = await finalState(handle);
    expect(state.nodes.change!.status).toBe('rolled-back');
    expect(await lines(log)).toEqual(['change']);
    expect((await stateOf(handle)).status).toBe('failed');
  });
});
