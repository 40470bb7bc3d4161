import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { planHash, validateRunbook } from '@runwright/runbook';
import { emptyDraft, toDraft } from '../../../apps/editor/src/document/draft.js';
import { checkDraft } from '../../../apps/editor/src/document/node-problems.js';
import { createEditorStore } from '../../../apps/editor/src/store/editor-store.js';
import { fromFlow } from '../../../apps/editor/src/canvas/from-flow.js';
import { toFlow } from '../../../apps/editor/src/canvas/to-flow.js';
import { runbooksFolder } from '../../support/runbooks.js';

const hello = () => toDraft(parse(readFileSync(resolve(runbooksFolder, 'hello.yaml'), 'utf8')));
const hashOf = (draft: unknown) => {
  const result = validateRunbook(draft);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return planHash(result.runbook);
};

describe('to-flow / from-flow round trip', () => {
  it('gives back the same document when nothing moved on the canvas', () => {
    const draft = hello();
    const { nodes, edges } = toFlow(draft);
    expect(fromFlow(draft, nodes, edges)).toEqual(draft);
  });

  it('a moved node changes only layout, never the plan hash', () => {
    const draft = hello();
    const { nodes, edges } = toFlow(draft);
    const moved = fromFlow(draft, nodes.map((n) => (n.id === 'confirm' ? { ...n, position: { x: 333.4, y: 99.6 } } : n)), edges);
    expect(moved.layout.nodes.confirm).toEqual({ x: 333, y: 100 });
    expect({ ...moved, layout: draft.layout }).toEqual(draft);
    expect(hashOf(moved)).toBe(hashOf(draft));
  });

  it('keeps branch labels of edges that the canvas shows without them', () => {
    const draft = { ...hello(), edges: [{ from: 'say-hello', to: 'confirm', label: 'ok' }] };
    const { nodes, edges } = toFlow(draft);
    expect(fromFlow(draft, nodes, edges.map(({ label: _, ...e }) => e)).edges).toEqual(draft.edges);
  });
});

describe('the editor store', () => {
  it('builds a runnable runbook from nothing with named actions', () => {
    const store = createEditorStore(emptyDraft('built'));
    const s = () => store.getState();
    const shell = s().addNode('shell', { x: 0, y: 0 });
    const gate = s().addNode('checkpoint', { x: 0, y: 150 });
    const again = s().addNode('shell', { x: 0, y: 300 });
    expect([shell, gate, again]).toEqual(['shell', 'checkpoint', 'shell-2']);
    expect(s().selection).toEqual(['shell-2']);
    s().connect(shell, gate);
    s().connect(gate, again);
    s().connect(gate, again); // a duplicate edge is not added
    s().connect(gate, gate); // nor an edge to itself
    expect(s().draft.edges).toEqual([{ from: 'shell', to: 'checkpoint' }, { from: 'checkpoint', to: 'shell-2' }]);

    // Empty configs are reported on their nodes until the forms are filled in.
    expect(Object.keys(checkDraft(s().draft).byNode).sort()).toEqual(['checkpoint', 'shell', 'shell-2']);
    s().updateConfig(shell, { command: ['true'] });
    s().updateConfig(gate, { title: 'Go on?' });
    s().updateConfig(again, { script: 'echo done' });
    s().updateNode(again, { title: 'Finish', timeout: '30s', retry: { maximumAttempts: 2 } });
    expect(checkDraft(s().draft).problems).toEqual([]);
    expect(s().draft.nodes[2]).toEqual({ id: 'shell-2', kind: 'shell', title: 'Finish', timeout: '30s', retry: { maximumAttempts: 2 }, config: { script: 'echo done' } });

    // An emptied policy is removed from the node rather than saved empty.
    s().updateNode(again, { timeout: '' });
    expect(s().draft.nodes[2]).not.toHaveProperty('timeout');
  });

  it('renames a node in its edges and layout, and keeps it selected', () => {
    const store = createEditorStore(hello());
    store.getState().select(['confirm']);
    store.getState().updateNode('confirm', { id: 'operator-ok' });
    const { draft, selection } = store.getState();
    expect(draft.edges).toEqual([{ from: 'say-hello', to: 'operator-ok' }, { from: 'operator-ok', to: 'check-health' }]);
    expect(draft.layout.nodes['operator-ok']).toEqual({ x: 0, y: 140 });
    expect(draft.layout.nodes).not.toHaveProperty('confirm');
    expect(selection).toEqual(['operator-ok']);
    // Renaming onto an id in use is refused.
    store.getState().updateNode('operator-ok', { id: 'say-hello' });
    expect(store.getState().draft.nodes.map((n) => n.id)).toEqual(['say-hello', 'operator-ok', 'check-health']);
  });

  it('undoes and redoes every edit, one step each, and a new edit clears redo', () => {
    const original = hello();
    const store = createEditorStore(original);
    const s = () => store.getState();
    s().moveNode('confirm', { x: 50, y: 140 });
    s().updateConfig('check-health', { url: 'http://127.0.0.1:1/' });
    s().select(['say-hello']);
    s().deleteSelection();
    expect(s().draft.nodes.map((n) => n.id)).toEqual(['confirm', 'check-health']);
    expect(s().draft.edges).toEqual([{ from: 'confirm', to: 'check-health' }]);
    expect(s().draft.layout.nodes).not.toHaveProperty('say-hello');

    s().undo();
    expect(s().draft.nodes.map((n) => n.id)).toEqual(['say-hello', 'confirm', 'check-health']);
    s().undo();
    s().undo();
    expect(s().draft).toBe(original);
    s().undo(); // nothing left: no change
    expect(s().draft).toBe(original);
    s().redo();
    expect(s().draft.layout.nodes.confirm).toEqual({ x: 50, y: 140 });
    s().updateRunbook({ title: 'Changed' });
    expect(s().future).toEqual([]);
    s().redo();
    expect(s().draft.nodes[2]!.config).toEqual(original.nodes[2]!.config);
  });

  it('deletes a selected edge alone, and several selected nodes at once', () => {
    const store = createEditorStore(hello());
    const s = () => store.getState();
    s().select(['say-hello->confirm']);
    s().deleteSelection();
    expect(s().draft.edges).toEqual([{ from: 'confirm', to: 'check-health' }]);
    expect(s().draft.nodes).toHaveLength(3);
    s().select(['confirm', 'check-health']);
    s().deleteSelection();
    expect(s().draft.nodes.map((n) => n.id)).toEqual(['say-hello']);
    expect(s().draft.edges).toEqual([]);
    expect(s().selection).toEqual([]);
  });

  it('copies and pastes nodes with fresh ids, the edges between them, shifted positions', () => {
    const store = createEditorStore(hello());
    const s = () => store.getState();
    s().select(['say-hello', 'confirm']);
    s().copy();
    s().paste();
    expect(s().selection).toEqual(['say-hello-copy', 'confirm-copy']);
    expect(s().draft.edges.at(-1)).toEqual({ from: 'say-hello-copy', to: 'confirm-copy' });
    expect(s().draft.layout.nodes['confirm-copy']).toEqual({ x: 40, y: 180 });
    expect(s().draft.nodes.find((n) => n.id === 'confirm-copy')!.config).toEqual(s().draft.nodes[1]!.config);
    s().paste();
    expect(s().selection).toEqual(['say-hello-copy-2', 'confirm-copy-2']);
    expect(s().draft.layout.nodes['confirm-copy-2']).toEqual({ x: 80, y: 220 });
    expect(checkDraft(s().draft).problems).toEqual([]);
  });

  it('labels a branch edge and clears the label again, one undo step per typed label', () => {
    const store = createEditorStore(emptyDraft('branchy'));
    const s = () => store.getState();
    s().addNode('branch', { x: 0, y: 0 });
    s().addNode('shell', { x: -100, y: 150 });
    s().addNode('shell', { x: 100, y: 150 });
    s().updateConfig('branch', { expression: "params.fast ? 'fast' : 'safe'" });
    s().updateConfig('shell', { command: ['true'] });
    s().updateConfig('shell-2', { command: ['true'] });
    s().connect('branch', 'shell');
    s().connect('branch', 'shell-2');
    s().labelEdge('branch->shell', 'f', 'label');
    s().labelEdge('branch->shell', 'fast', 'label');
    s().labelEdge('branch->shell-2', 'default');
    expect(s().draft.edges).toEqual([
      { from: 'branch', to: 'shell', label: 'fast' },
      { from: 'branch', to: 'shell-2', label: 'default' },
    ]);
    expect(toFlow(s().draft).edges.map((e) => e.label)).toEqual(['fast', 'default']);
    s().undo();
    s().undo();
    expect(s().draft.edges).toEqual([{ from: 'branch', to: 'shell' }, { from: 'branch', to: 'shell-2' }]);
    s().redo();
    s().labelEdge('branch->shell', undefined);
    expect(s().draft.edges[0]).toEqual({ from: 'branch', to: 'shell' });
  });

  it('auto-layout moves nodes into layers without touching the plan', () => {
    const draft = hello();
    draft.layout.nodes = { 'say-hello': { x: 500, y: 500 }, confirm: { x: 0, y: 0 }, 'check-health': { x: 500, y: 0 } };
    const store = createEditorStore(draft);
    store.getState().layout();
    const after = store.getState().draft;
    const ys = after.nodes.map((n) => after.layout.nodes[n.id]!.y);
    expect(ys[0]).toBeLessThan(ys[1]!);
    expect(ys[1]).toBeLessThan(ys[2]!);
    expect(hashOf(after)).toBe(hashOf(draft));
  });

  it('auto-layout places a forEach group in the flow and its children inside it, relative to it', () => {
    const draft = hello();
    draft.nodes.push(
      { id: 'each-host', kind: 'forEach', config: { items: 'params.hosts' } },
      { id: 'drain', kind: 'shell', parent: 'each-host', config: { command: ['true'] } },
      { id: 'upgrade', kind: 'shell', parent: 'each-host', config: { command: ['true'] } },
    );
    draft.edges.push({ from: 'check-health', to: 'each-host' }, { from: 'drain', to: 'upgrade' });
    const store = createEditorStore(draft);
    store.getState().layout();
    const at = store.getState().draft.layout.nodes;
    expect(at['each-host']!.y).toBeGreaterThan(at['check-health']!.y);
    // Children sit inside the group: below its title, and one after the other.
    expect(at.drain).toEqual({ x: 20, y: 56 });
    expect(at.upgrade!.y).toBeGreaterThan(at.drain!.y);
  });

  it('moves a node into a forEach and out again; its position starts afresh each time', () => {
    const draft = hello();
    draft.nodes.push({ id: 'each-host', kind: 'forEach', config: { items: 'params.hosts' } });
    const store = createEditorStore(draft);
    store.getState().updateNode('check-health', { parent: 'each-host' });
    expect(store.getState().draft.nodes[2]!.parent).toBe('each-host');
    expect(store.getState().draft.layout.nodes).not.toHaveProperty('check-health');
    expect(toFlow(store.getState().draft).nodes.find((n) => n.id === 'check-health')).toMatchObject({ parentId: 'each-host', position: { x: 20, y: 56 } });
    store.getState().updateNode('check-health', { parent: undefined });
    expect(store.getState().draft.nodes[2]).not.toHaveProperty('parent');
  });

  it('replaces the whole document (from the YAML pane) as one undo step and drops a stale selection', () => {
    const store = createEditorStore(hello());
    const s = () => store.getState();
    s().select(['confirm', 'say-hello']);
    const next = { ...hello(), nodes: hello().nodes.filter((n) => n.id !== 'confirm'), edges: [] };
    s().replaceDraft(next);
    expect(s().selection).toEqual(['say-hello']);
    s().undo();
    expect(s().draft.nodes).toHaveLength(3);
  });
});
