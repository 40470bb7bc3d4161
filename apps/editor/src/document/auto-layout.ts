import { Graph, layout } from '@dagrejs/dagre';
import type { Draft, Position } from './draft';

// Matches the node's CSS box, so dagre spaces the real boxes, not points.
const nodeWidth = 220;
const nodeHeight = 96;

// Room a forEach group keeps above its children for its own title.
const groupTop = 56;
const groupSide = 20;

/**
 * Top-to-bottom layered layout of the graph; returns the top-left corner of each node. Nodes
 * inside a forEach are laid out as a cluster within it, and their positions come back relative
 * to the group, as the canvas keeps them.
 */
export function autoLayout(draft: Draft): Record<string, Position> {
  const ids = new Set(draft.nodes.map((n) => n.id));
  const parentOf = (node: Draft['nodes'][number]) =>
    typeof node.parent === 'string' && node.parent !== node.id && ids.has(node.parent) ? node.parent : undefined;
  const parents = new Set(draft.nodes.map(parentOf).filter((p): p is string => p !== undefined));
  const graph = new Graph({ compound: parents.size > 0 });
  // The rank gap leaves room for a group's title band, which dagre does not know about.
  graph.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 70 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of draft.nodes) graph.setNode(node.id, parents.has(node.id) ? {} : { width: nodeWidth, height: nodeHeight });
  for (const node of draft.nodes) {
    const parent = parentOf(node);
    if (parent) graph.setParent(node.id, parent);
  }
  // dagre cannot rank edges that end at a cluster; an edge into or out of a group is ranked
  // through one of its children instead, which keeps the group in its place in the flow.
  const firstChild = new Map<string, string>();
  for (const node of draft.nodes) {
    const parent = parentOf(node);
    if (parent && !firstChild.has(parent)) firstChild.set(parent, node.id);
  }
  const proxy = (id: string) => firstChild.get(id) ?? id;
  for (const edge of draft.edges) {
    const [from, to] = [proxy(edge.from), proxy(edge.to)];
    if (from !== to && graph.hasNode(from) && graph.hasNode(to) && !parents.has(from) && !parents.has(to)) graph.setEdge(from, to);
  }
  layout(graph);
  const corner = (id: string) => {
    const placed = graph.node(id);
    return { x: placed.x - (placed.width ?? nodeWidth) / 2, y: placed.y - (placed.height ?? nodeHeight) / 2 };
  };
  // Children relative to their group, shifted so the group's title has room above them.
  const shift = new Map<string, Position>();
  for (const parent of parents) {
    const inside = draft.nodes.filter((n) => parentOf(n) === parent).map((n) => corner(n.id));
    const origin = corner(parent);
    shift.set(parent, {
      x: origin.x + Math.min(...inside.map((p) => p.x - origin.x)) - groupSide,
      y: origin.y + Math.min(...inside.map((p) => p.y - origin.y)) - groupTop,
    });
  }
  const positions: Record<string, Position> = {};
  for (const node of draft.nodes) {
    const at = corner(node.id);
    const parent = parentOf(node);
    const origin = parent ? shift.get(parent)! : { x: 0, y: 0 };
    positions[node.id] = { x: Math.round(at.x - origin.x), y: Math.round(at.y - origin.y) };
  }
  return positions;
}
