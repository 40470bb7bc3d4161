import { describe, expect, it } from 'vitest';
import { toDraft } from '../../../apps/editor/src/document/draft.js';
import { checkDraft } from '../../../apps/editor/src/document/node-problems.js';
import { groupAt } from '../../../apps/editor/src/canvas/drop-target.js';
import { toFlow } from '../../../apps/editor/src/canvas/to-flow.js';
import { createEditorStore } from '../../../apps/editor/src/store/editor-store.js';

const shell = (id: string, extra: Record<string, unknown> = {}) => ({ id, kind: 'shell', config: { command: ['true'] }, ...extra });
const rollout = () =>
  toDraft({
    id: 'rollout',
    title: 'Rollout',
    parameters: { hosts: { type: 'list', default: ['a', 'b'] } },
    nodes: [
      shell('prepare'),
      { id: 'each-host', kind: 'forEach', config: { items: 'params.hosts' } },
      shell('drain', { parent: 'each-host' }),
      shell('upgrade', { parent: 'each-host' }),
      shell('announce'),
    ],
    edges: [
      { from: 'prepare', to: 'each-host' },
      { from: 'drain', to: 'upgrade' },
      { from: 'each-host', to: 'announce' },
    ],
    layout: { nodes: { prepare: { x: 0, y: 0 }, 'each-host': { x: 0, y: 140 }, drain: { x: 20, y: 56 }, upgrade: { x: 20, y: 196 }, announce: { x: 0, y: 600 } } },
  });

describe('dragging nodes into and out of a forEach group', () => {
  it('finds the innermost group under the drop point, never the dragged node or its own body', () => {
    const boxes = [
      { id: 'outer', x: 0, y: 0, width: 600, height: 600 },
      { id: 'inner', x: 100, y: 100, width: 200, height: 200 },
    ];
    expect(groupAt({ x: 150, y: 150 }, boxes, new Set())).toBe('inner');
    expect(groupAt({ x: 500, y: 500 }, boxes, new Set())).toBe('outer');
    expect(groupAt({ x: 700, y: 50 }, boxes, new Set())).toBeUndefined();
    // Dragging the inner group itself: it can land in the outer one, not in itself.
    expect(groupAt({ x: 150, y: 150 }, boxes, new Set(['inner']))).toBe('outer');
  });

  it('moves a node into the group as one undo step; its edges that would cross the boundary go', () => {
    const store = createEditorStore(rollout());
    const s = () => store.getState();
    s().select(['announce', 'each-host->announce']);
    s().moveToGroup('announce', 'each-host', { x: 20, y: 336 });
    const node = s().draft.nodes.find((n) => n.id === 'announce')!;
    expect(node.parent).toBe('each-host');
    expect(s().draft.layout.nodes.announce).toEqual({ x: 20, y: 336 });
    expect(s().draft.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['prepare->each-host', 'drain->upgrade']);
    expect(s().selection).toEqual(['announce']);
    // The canvas draws it inside the group, and the group grows to hold it.
    const flow = toFlow(s().draft);
    expect(flow.nodes.find((n) => n.id === 'announce')).toMatchObject({ parentId: 'each-host', position: { x: 20, y: 336 } });
    expect(flow.nodes.find((n) => n.id === 'each-host')!.height).toBeGreaterThanOrEqual(336 + 96);
    expect(checkDraft(s().draft).problems).toEqual([]);
    s().undo();
    expect(s().draft).toEqual(rollout());
  });

  it('moves a node out to the main flow, dropping its edges inside the body', () => {
    const store = createEditorStore(rollout());
    store.getState().moveToGroup('upgrade', undefined, { x: 400, y: 400 });
    const { draft } = store.getState();
    expect(draft.nodes.find((n) => n.id === 'upgrade')).not.toHaveProperty('parent');
    expect(draft.layout.nodes.upgrade).toEqual({ x: 400, y: 400 });
    expect(draft.edges.some((e) => e.to === 'upgrade')).toBe(false);
    expect(toFlow(draft).nodes.find((n) => n.id === 'upgrade')).not.toHaveProperty('parentId');
  });

  it('refuses to put a group inside itself or its own body, and an unknown group', () => {
    const store = createEditorStore(rollout());
    const before = store.getState().draft;
    store.getState().moveToGroup('each-host', 'each-host', { x: 0, y: 0 });
    store.getState().moveToGroup('each-host', 'drain', { x: 0, y: 0 });
    store.getState().moveToGroup('prepare', 'no-such-group', { x: 0, y: 0 });
    expect(store.getState().draft).toBe(before);
    expect(store.getState().past).toHaveLength(0);
  });

  it('lets children leave their group only on the authoring canvas', () => {
    const draft = rollout();
    expect(toFlow(draft).nodes.find((n) => n.id === 'drain')).toMatchObject({ extent: 'parent' });
    expect(toFlow(draft, { childrenLeave: true }).nodes.find((n) => n.id === 'drain')).not.toHaveProperty('extent');
  });
});
