import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, finalState, interpreterHarness, shell } from './interpreter-harness.js';

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
let folder: string;
beforeAll(async () => {
  harness = await interpreterHarness();
  folder = await mkdtemp(join(tmpdir(), 'runwright-nested-rollback-'));
});
afterAll(async () => {
  await harness?.stop();
  await rm(folder, { recursive: true, force: true });
});

const lines = async (file: string) => (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
const logLine = (log: string, line: string) => ({ kind: 'shell', config: { command: ['sh', '-c', `echo "${line}" >> "$LOG"`], env: { LOG: log } } });

/**
 * Per site: open → per host of the site (inner forEach): change → close; then the run breaks.
 * The inner items run in batch children of the outer batch children; the run's rollback must
 * still reach them, each in its own scope (its `item` and its own outputs).
 */
function sites(log: string) {
  return {
    parameters: { sites: { type: 'list' } },
    defaults: { onFailure: 'rollback' },
    nodes: [
      { id: 'sites', kind: 'forEach', config: { items: 'params.sites' } },
      { ...shell('open', ['true'], { parent: 'sites' }), rollback: logLine(log, 'undo open {{ item }}') },
      { id: 'hosts', kind: 'forEach', parent: 'sites', config: { items: "[item & '-1', item & '-2']" } },
      { ...shell('change', ['echo', 'v-{{ item }}'], { parent: 'hosts' }), rollback: logLine(log, 'undo change {{ item }} {{ $trim(steps.change.output.stdout) }}') },
      { ...shell('close', ['true'], { parent: 'sites' }), rollback: logLine(log, 'undo close {{ item }}') },
      shell('breaks', ['sh', '-c', 'exit 7'], { retry: { maximumAttempts: 1 } }),
    ],
    edges: [edge('open', 'hosts'), edge('hosts', 'close'), edge('sites', 'breaks')],
  };
}

describe('rollback reaches the items of a forEach nested in a forEach item', () => {
  it('undoes each outer item newest first, and inside it the inner items newest first between its own nodes', async () => {
    const log = join(folder, 'nested.log');
    const { handle } = await harness.start(sites(log), { sites: ['east', 'west'] });
    const { state, error } = await finalState(handle);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(await lines(log)).toEqual([
      'undo close west',
      'undo change west-2 v-west-2',
      'undo change west-1 v-west-1',
      'undo open west',
      'undo close east',
      'undo change east-2 v-east-2',
      'undo change east-1 v-east-1',
      'undo open east',
    ]);
    expect(state.nodes.sites!.progress!.items).toEqual({ east: 'rolled-back', west: 'rolled-back' });
    expect(state.nodes.sites!.status).toBe('rolled-back');
  });

  it('a failing inner rollback stops the rollback and names where it failed', async () => {
    const log = join(folder, 'nested-fails.log');
    const runbook = sites(log);
    const change = runbook.nodes.find((n) => n.id === 'change')!;
    Object.assign(change, { retry: { maximumAttempts: 1 }, rollback: { kind: 'shell', config: { script: 'case "$H" in west-1) exit 3;; esac; echo "undo change $H" >> "$LOG"', env: { H: '{{ item }}', LOG: log } } } });
    const { handle } = await harness.start(runbook, { sites: ['east', 'west'] });
    const { state } = await finalState(handle);
    expect(await lines(log)).toEqual(['undo close west', 'undo change west-2']);
    expect(state.nodes.sites!.error).toMatchObject({ type: 'RollbackFailed', message: expect.stringMatching(/^rollback of change \(sites\/west\/hosts\/west-1\) for item west of sites failed/) });
    expect(state.nodes.sites!.progress!.items).toEqual({ east: 'succeeded', west: 'succeeded' });
  });
});
