import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, edge, finalState, interpreterHarness, shell, waitForState } from './interpreter-harness.js';

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
let folder: string;
beforeAll(async () => {
  harness = await interpreterHarness();
  folder = await mkdtemp(join(tmpdir(), 'runwright-for-each-rollback-'));
});
afterAll(async () => {
  await harness?.stop();
  await rm(folder, { recursive: true, force: true });
});

const lines = async (file: string) => (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
/** A rollback action that appends a line to the log, so the order of undoing is visible. */
const logLine = (log: string, line: string) => ({ kind: 'shell', config: { command: ['sh', '-c', `echo "${line}" >> "$LOG"`], env: { LOG: log } } });

/**
 * prepare → forEach over `params.hosts` (per host: change, then record; record fails for bad-*) → rest.
 * The item rollbacks read `item` and the item's own output, so the item's scope reaches them.
 */
function rollout(log: string, forEach: Record<string, unknown>, rest: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  return {
    parameters: { hosts: { type: 'list' } },
    ...extra,
    nodes: [
      shell('prepare', ['true'], { rollback: logLine(log, 'undo prepare') }),
      { id: 'fan', kind: 'forEach', config: { items: 'params.hosts', ...forEach } },
      { ...shell('change', ['echo', 'v-{{ item }}'], { parent: 'fan' }), rollback: logLine(log, 'undo change {{ item }} {{ $trim(steps.change.output.stdout) }}') },
      {
        id: 'record',
        kind: 'shell',
        parent: 'fan',
        retry: { maximumAttempts: 1 },
        config: { script: 'case "$HOST" in bad-*) exit 1;; esac', env: { HOST: '{{ item }}' } },
        rollback: logLine(log, 'undo record {{ item }}'),
      },
      ...rest,
    ],
    edges: [edge('prepare', 'fan'), edge('change', 'record'), ...rest.map((n) => edge('fan', n.id as string))],
  };
}

describe('rollback reaches forEach items that succeeded', () => {
  it('a later failure undoes every finished item, newest item first, each item newest node first', async () => {
    const log = join(folder, 'later-failure.log');
    const failing = shell('breaks', ['sh', '-c', 'exit 7'], { retry: { maximumAttempts: 1 } });
    const { handle } = await harness.start(rollout(log, { batchSize: 2 }, [failing], { defaults: { onFailure: 'rollback' } }), { hosts: ['a', 'b', 'c'] });
    const { state, error } = await finalState(handle);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(await lines(log)).toEqual([
      'undo record c',
      'undo change c v-c',
      'undo record b',
      'undo change b v-b',
      'undo record a',
      'undo change a v-a',
      'undo prepare',
    ]);
    expect(state.nodes.fan!.progress!.items).toEqual({ a: 'rolled-back', b: 'rolled-back', c: 'rolled-back' });
    expect(state.nodes.fan!.status).toBe('rolled-back');
    expect(state.nodes.prepare!.status).toBe('rolled-back');
    expect(state.nodes.breaks!.status).toBe('failed');
  });

  it('a rollout halted by its threshold undoes the items that had succeeded; the failed item undid itself', async () => {
    const log = join(folder, 'threshold.log');
    const { handle } = await harness.start(rollout(log, { batchSize: 1, failureThreshold: 0 }, [], { defaults: { onFailure: 'rollback' } }), {
      hosts: ['a', 'bad-b', 'c'],
    });
    const { state, error } = await finalState(handle);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    // bad-b's own rollback ran inside its batch when record failed; then the run rolled back a and prepare.
    expect(await lines(log)).toEqual(['undo change bad-b v-bad-b', 'undo record a', 'undo change a v-a', 'undo prepare']);
    expect(state.nodes.fan).toMatchObject({ status: 'failed', error: { type: 'FailureThresholdExceeded' } });
    expect(state.nodes.fan!.progress!.items).toEqual({ a: 'rolled-back', 'bad-b': 'failed', c: 'skipped' });
  });

  it('cancelling a run with rollbackOnCancel undoes the finished items', async () => {
    const log = join(folder, 'cancel.log');
    const gate = { id: 'gate', kind: 'checkpoint', config: { title: 'Go on?' } };
    const { handle } = await harness.start(rollout(log, { batchSize: 1 }, [gate], { defaults: { timeout: '1m', rollbackOnCancel: true } }), { hosts: ['a', 'b'] });
    await waitForState(handle, (s) => s.status === 'waiting');
    await handle.cancel();
    const { state } = await finalState(handle);
    expect(state.status).toBe('cancelled');
    expect(await lines(log)).toEqual(['undo record b', 'undo change b v-b', 'undo record a', 'undo change a v-a', 'undo prepare']);
    expect(state.nodes.fan!.progress!.items).toEqual({ a: 'rolled-back', b: 'rolled-back' });
  });

  it('a person choosing "roll back" after a later failure undoes the items too', async () => {
    const log = join(folder, 'ask.log');
    const asking = shell('breaks', ['sh', '-c', 'exit 7'], { retry: { maximumAttempts: 1 }, onFailure: 'ask' });
    const { handle, planHash } = await harness.start(rollout(log, { batchSize: 2 }, [asking]), { hosts: ['a', 'b'] });
    const waiting = await waitForState(handle, (s) => s.pendingCheckpoints.length > 0);
    expect(waiting.pendingCheckpoints[0]!.actions).toContain('rollback');
    await decide(handle, planHash, { nodeId: 'breaks', decision: 'approve', action: 'rollback' });
    const { state } = await finalState(handle);
    expect(state.status).toBe('failed');
    expect(await lines(log)).toEqual(['undo record b', 'undo change b v-b', 'undo record a', 'undo change a v-a', 'undo prepare']);
    expect(state.nodes.fan!.progress!.items).toEqual({ a: 'rolled-back', b: 'rolled-back' });
  });
});
