import { describe, expect, it } from 'vitest';
import { toDraft } from '../../../apps/editor/src/document/draft.js';
import { diffDrafts } from '../../../apps/editor/src/document/version-diff.js';
import { toFlow } from '../../../apps/editor/src/canvas/to-flow.js';

const shell = (id: string, command: string[], extra: Record<string, unknown> = {}) => ({ id, kind: 'shell', config: { command }, ...extra });
const before = toDraft({
  id: 'release',
  title: 'Release',
  nodes: [shell('build', ['make']), shell('test', ['make', 'test']), shell('deploy', ['deploy']), shell('notify', ['true'])],
  edges: [
    { from: 'build', to: 'test' },
    { from: 'test', to: 'deploy' },
    { from: 'deploy', to: 'notify' },
  ],
  layout: { nodes: { build: { x: 0, y: 0 }, test: { x: 0, y: 140 }, deploy: { x: 0, y: 280 }, notify: { x: 0, y: 420 } } },
});
const after = toDraft({
  id: 'release',
  title: 'Release',
  nodes: [
    shell('build', ['make']),
    // Same node, keys in another order: not a change.
    { config: { command: ['make', 'test'] }, kind: 'shell', id: 'test' },
    shell('deploy', ['deploy', '--canary']),
    shell('smoke', ['curl', 'http://127.0.0.1']),
  ],
  edges: [
    { from: 'build', to: 'test' },
    { from: 'test', to: 'deploy' },
    { from: 'deploy', to: 'smoke', label: 'ok' },
  ],
  layout: { nodes: { build: { x: 0, y: 0 }, test: { x: 40, y: 140 }, deploy: { x: 0, y: 280 }, smoke: { x: 0, y: 420 } } },
});

describe('version diff: two versions of a runbook on one canvas', () => {
  it('marks nodes added, removed, changed, only moved, or the same, by their stable ids', () => {
    const diff = diffDrafts(before, after);
    expect(diff.nodes).toEqual({ build: 'same', test: 'moved', deploy: 'changed', smoke: 'added', notify: 'removed' });
    expect(diff.edges).toEqual({ 'build->test': 'same', 'test->deploy': 'same', 'deploy->smoke': 'added', 'deploy->notify': 'removed' });
    expect(diff.counts).toEqual({ added: 1, removed: 1, changed: 1, moved: 1 });
  });

  it('draws the newer version plus what it removed, where it used to be', () => {
    const diff = diffDrafts(before, after);
    expect(diff.merged.nodes.map((n) => n.id)).toEqual(['build', 'test', 'deploy', 'smoke', 'notify']);
    expect(diff.merged.layout.nodes.notify).toEqual({ x: 0, y: 420 });
    const flow = toFlow(diff.merged, { diff });
    expect(Object.fromEntries(flow.nodes.map((n) => [n.id, n.data.diff]))).toEqual(diff.nodes);
    expect(flow.edges.find((e) => e.id === 'deploy->notify')?.className).toBe('diff-removed');
    expect(flow.edges.find((e) => e.id === 'build->test')?.className).toBe('diff-same');
  });

  it('finds nothing between a version and itself, and a relabelled edge is a change', () => {
    expect(diffDrafts(after, after).counts).toEqual({ added: 0, removed: 0, changed: 0, moved: 0 });
    const relabelled = { ...after, edges: after.edges.map((e) => (e.to === 'smoke' ? { ...e, label: 'canary-ok' } : e)) };
    expect(diffDrafts(after, relabelled).edges['deploy->smoke']).toBe('changed');
  });
});
