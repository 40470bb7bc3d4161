import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, finalState, interpreterHarness, shell } from './interpreter-harness.js';

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
beforeAll(async () => {
  harness = await interpreterHarness();
});
afterAll(async () => harness?.stop());

// start → route (branch on params.mode) → fast | safe-1 → safe-2 | other (default) → join → extra (when) → after-extra
const routed = {
  parameters: { mode: { type: 'string' }, extra: { type: 'boolean', default: false } },
  nodes: [
    shell('start', ['true']),
    { id: 'route', kind: 'branch', config: { expression: 'params.mode' } },
    shell('fast', ['echo', 'fast']),
    shell('safe-1', ['true']),
    shell('safe-2', ['true']),
    shell('other', ['true']),
    shell('join', ['echo', 'joined']),
    shell('extra', ['true'], { when: 'params.extra and steps.join.output.exitCode = 0' }),
    shell('after-extra', ['true']),
  ],
  edges: [
    edge('start', 'route'),
    edge('route', 'fast', 'fast'),
    edge('route', 'safe-1', 'safe'),
    edge('safe-1', 'safe-2'),
    edge('route', 'other', 'default'),
    edge('fast', 'join'),
    edge('safe-2', 'join'),
    edge('other', 'join'),
    edge('join', 'extra'),
    edge('extra', 'after-extra'),
  ],
};

const statuses = (state: { nodes: Record<string, { status: string }> }) =>
  Object.fromEntries(Object.entries(state.nodes).map(([id, n]) => [id, n.status]));

describe('branch nodes and when conditions', () => {
  it('takes the labelled edge, skips the other paths, and the join waits only for the live one', async () => {
    const { handle } = await harness.start(routed, { mode: 'fast' });
    const { state, error } = await finalState(handle);
    expect(error).toBeUndefined();
    expect(statuses(state)).toEqual({
      start: 'succeeded',
      route: 'succeeded',
      fast: 'succeeded',
      'safe-1': 'skipped',
      'safe-2': 'skipped',
      other: 'skipped',
      join: 'succeeded',
      extra: 'skipped',
      'after-extra': 'skipped',
    });
    expect(state.nodes.route!.output).toEqual({ value: 'fast', taken: ['fast'] });
    expect(state.status).toBe('succeeded');
  });

  it('takes the default edge when no label matches, and runs a node whose condition holds', async () => {
    const { handle } = await harness.start(routed, { mode: 'unheard-of', extra: true });
    const { state } = await finalState(handle);
    expect(statuses(state)).toMatchObject({ fast: 'skipped', 'safe-1': 'skipped', other: 'succeeded', join: 'succeeded', extra: 'succeeded', 'after-extra': 'succeeded' });
    expect(state.nodes.route!.output).toEqual({ value: 'unheard-of', taken: ['default'] });
  });

  it('fails a branch whose value matches no edge when there is no default edge', async () => {
    const { handle } = await harness.start(
      {
        parameters: { where: { type: 'string' } },
        nodes: [{ id: 'route', kind: 'branch', config: { expression: 'params.where' } }, shell('a', ['true'])],
        edges: [edge('route', 'a', 'somewhere')],
      },
      { where: 'nowhere' },
    );
    const { state, error } = await finalState(handle);
    expect(error).toBeDefined();
    expect(state.nodes.route).toMatchObject({ status: 'failed', error: { type: 'InvalidConfig', message: expect.stringMatching(/"nowhere" matches no edge label/) } });
    expect(state.nodes.a!.status).toBe('skipped');
  });

  it('fails a node whose condition cannot be evaluated, instead of retrying the workflow task', async () => {
    const { handle } = await harness.start({
      nodes: [shell('odd', ['true'], { when: "$number('not a number') > 1" }), shell('after', ['true'])],
      edges: [edge('odd', 'after')],
    });
    const { state, error } = await finalState(handle);
    expect(error).toBeDefined();
    expect(state.nodes.odd).toMatchObject({ status: 'failed', error: { type: 'InvalidConfig', message: expect.stringMatching(/^the when condition failed: /) } });
    expect(state.nodes.after!.status).toBe('skipped');
  });

  it('runs fan-out branches in parallel', async () => {
    const { handle } = await harness.start({
      nodes: [shell('root', ['true']), shell('left', ['sleep', '1']), shell('right', ['sleep', '1']), shell('both', ['true'])],
      edges: [edge('root', 'left'), edge('root', 'right'), edge('left', 'both'), edge('right', 'both')],
    });
    const { state } = await finalState(handle);
    const left = state.nodes.left!;
    const right = state.nodes.right!;
    // Each started before the other ended: their runs overlapped.
    expect(left.startedAt! < right.endedAt!).toBe(true);
    expect(right.startedAt! < left.endedAt!).toBe(true);
    expect(state.nodes.both!.startedAt! >= left.endedAt! && state.nodes.both!.startedAt! >= right.endedAt!).toBe(true);
  });
});
