import { describe, expect, it } from 'vitest';
import { stepErrors, type NodeState } from '@runwright/runbook';
import { toDraft } from '../../../apps/editor/src/document/draft.js';
import { rollbackLane } from '../../../apps/editor/src/canvas/rollback-lane.js';
import { toFlow } from '../../../apps/editor/src/canvas/to-flow.js';

const undo = (file: string) => ({ kind: 'shell', config: { command: ['rm', file] } });
const draft = toDraft({
  id: 'three-changes',
  title: 'Three changes',
  nodes: [
    { id: 'a', kind: 'shell', config: { command: ['true'] }, rollback: undo('a') },
    { id: 'b', kind: 'shell', config: { command: ['true'] } },
    { id: 'c', kind: 'shell', config: { command: ['true'] }, rollback: undo('c') },
    { id: 'd', kind: 'shell', config: { command: ['true'] }, rollback: undo('d') },
    { id: 'e', kind: 'shell', config: { command: ['false'] }, rollback: undo('e') },
  ],
  edges: [],
});
const at = (second: number) => `2026-11-27T08:00:${String(second).padStart(2, '0')}.000Z`;
const node = (status: NodeState['status'], ended?: number, error?: NodeState['error']): NodeState => ({
  status,
  attempts: 1,
  ...(ended !== undefined && { endedAt: at(ended) }),
  ...(error && { error }),
});

describe('rollback lane: the run compensation, as the interpreter runs it', () => {
  it('is empty while nothing has been rolled back', () => {
    expect(rollbackLane(draft, { a: node('succeeded', 1), c: node('succeeded', 3), e: node('failed', 5) })).toEqual([]);
  });

  it('lists completed nodes with a rollback action, newest completion first, numbered in that order', () => {
    // c finished after d (parallel branches): c is undone before d, whatever the document order.
    const states = { a: node('rolled-back', 1), b: node('succeeded', 2), c: node('succeeded', 4), d: node('rolled-back', 3), e: node('failed', 5) };
    expect(rollbackLane(draft, states).map((s) => [s.order, s.nodeId, s.status])).toEqual([
      [1, 'c', 'pending'],
      [2, 'd', 'rolled-back'],
      [3, 'a', 'rolled-back'],
    ]);
  });

  it('marks the rollback that failed, with its message (the lane stops there)', () => {
    const failed = { type: stepErrors.rollbackFailed, message: 'rm: cannot remove' };
    const lane = rollbackLane(draft, { a: node('succeeded', 1), c: node('rolled-back', 4), d: node('succeeded', 3, failed) });
    expect(lane.map((s) => [s.nodeId, s.status, s.error])).toEqual([
      ['c', 'rolled-back', undefined],
      ['d', 'failed', 'rm: cannot remove'],
      ['a', 'pending', undefined],
    ]);
  });

  it('puts the lane on the canvas: a badge per node and a dashed edge from each rollback to the next', () => {
    const states = { a: node('rolled-back', 1), c: node('rolled-back', 4), d: node('rolled-back', 3), e: node('failed', 5) };
    const { nodes, edges } = toFlow(draft, { states });
    expect(Object.fromEntries(nodes.filter((n) => n.data.rollback).map((n) => [n.id, n.data.rollback!.order]))).toEqual({ c: 1, d: 2, a: 3 });
    expect(edges.filter((e) => e.className === 'rollback-edge').map((e) => [e.source, e.target])).toEqual([
      ['c', 'd'],
      ['d', 'a'],
    ]);
    // Without live states (authoring), there is no lane at all.
    expect(toFlow(draft).edges.some((e) => e.className === 'rollback-edge')).toBe(false);
  });
});

describe('rollback lane with a forEach', () => {
  const rollout = toDraft({
    id: 'rollout',
    title: 'Rollout',
    nodes: [
      { id: 'prepare', kind: 'shell', config: { command: ['true'] }, rollback: undo('prepare') },
      { id: 'each-host', kind: 'forEach', config: { items: 'params.hosts' } },
      { id: 'upgrade', kind: 'shell', parent: 'each-host', config: { command: ['true'] }, rollback: undo('upgrade') },
      { id: 'verify', kind: 'shell', config: { command: ['false'] } },
    ],
    edges: [],
  });
  const forEach = (items: Record<string, string>, status: NodeState['status'] = 'succeeded'): NodeState =>
    ({ ...node(status, 2), progress: { total: 3, batches: 1, batchesDone: 1, halted: false, items } }) as NodeState;

  it('counts the items undone so far, and lists the forEach before the nodes that completed earlier', () => {
    const states = { prepare: node('succeeded', 1), 'each-host': forEach({ a: 'rolled-back', b: 'succeeded', c: 'failed' }), verify: node('failed', 3) };
    expect(rollbackLane(rollout, states)).toEqual([
      { nodeId: 'each-host', order: 1, status: 'pending', kind: 'items', items: { rolledBack: 1, total: 2 } },
      { nodeId: 'prepare', order: 2, status: 'pending', kind: 'shell' },
    ]);
    // The nodes inside the body are undone per item, under the forEach: never a lane entry of their own.
    const done = { ...states, 'each-host': forEach({ a: 'rolled-back', b: 'rolled-back', c: 'failed' }, 'rolled-back'), prepare: node('rolled-back', 1) };
    expect(rollbackLane(rollout, done).map((s) => [s.nodeId, s.status])).toEqual([
      ['each-host', 'rolled-back'],
      ['prepare', 'rolled-back'],
    ]);
  });
});
