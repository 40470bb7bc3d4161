import { canonicalJson, type Edge } from '@runwright/runbook';
import type { Draft, DraftNode } from './draft';

/** How a node or edge differs between two versions; `moved`: only its place on the canvas. */
export type DiffMark = 'added' | 'removed' | 'changed' | 'moved' | 'same';

export interface DraftDiff {
  /** Both versions on one canvas: the newer one, plus what it removed (where it used to be). */
  merged: Draft;
  nodes: Record<string, DiffMark>;
  /** Keyed by edge id (`from->to`). */
  edges: Record<string, DiffMark>;
  counts: Record<Exclude<DiffMark, 'same'>, number>;
}

const edgeKey = (e: Edge) => `${e.from}->${e.to}`;
// Key order is the author's business; compare what the node says, not how it was written.
const sameNode = (a: DraftNode, b: DraftNode) => canonicalJson(a) === canonicalJson(b);

/**
 * Compares two versions of a runbook node by node (by id, which authors keep stable) and edge by
 * edge, for drawing the difference on one canvas. Pure.
 */
export function diffDrafts(from: Draft, to: Draft): DraftDiff {
  const before = new Map(from.nodes.map((n) => [n.id, n]));
  const after = new Set(to.nodes.map((n) => n.id));
  const nodes: Record<string, DiffMark> = {};
  for (const node of to.nodes) {
    const old = before.get(node.id);
    if (!old) nodes[node.id] = 'added';
    else if (!sameNode(old, node)) nodes[node.id] = 'changed';
    else {
      const [p, q] = [from.layout.nodes[node.id], to.layout.nodes[node.id]];
      nodes[node.id] = p?.x !== q?.x || p?.y !== q?.y ? 'moved' : 'same';
    }
  }
  const removed = from.nodes.filter((n) => !after.has(n.id));
  for (const node of removed) nodes[node.id] = 'removed';

  const oldEdges = new Map(from.edges.map((e) => [edgeKey(e), e]));
  const newEdges = new Set(to.edges.map(edgeKey));
  const edges: Record<string, DiffMark> = {};
  for (const edge of to.edges) {
    const old = oldEdges.get(edgeKey(edge));
    edges[edgeKey(edge)] = !old ? 'added' : (old.label ?? '') !== (edge.label ?? '') ? 'changed' : 'same';
  }
  const goneEdges = from.edges.filter((e) => !newEdges.has(edgeKey(e)));
  for (const edge of goneEdges) edges[edgeKey(edge)] = 'removed';

  const removedPositions = Object.fromEntries(removed.flatMap((n) => (from.layout.nodes[n.id] ? [[n.id, from.layout.nodes[n.id]!]] : [])));
  const counts = { added: 0, removed: 0, changed: 0, moved: 0 };
  for (const mark of Object.values(nodes)) if (mark !== 'same') counts[mark] += 1;
  return {
    merged: {
      ...to,
      nodes: [...to.nodes, ...removed],
      edges: [...to.edges, ...goneEdges],
      layout: { ...to.layout, nodes: { ...to.layout.nodes, ...removedPositions } },
    },
    nodes,
    edges,
    counts,
  };
}
