import type { Edge, Node } from '@xyflow/react';
import type { Draft } from '../document/draft';

/**
 * React Flow nodes and edges → the document. Pure. Only what the canvas owns comes back:
 * node positions (into `layout`, which execution never reads) and the edges; each node's
 * kind, config and policies stay in the document, which is the one source of truth.
 */
export function fromFlow(draft: Draft, nodes: readonly Node[], edges: readonly Edge[]): Draft {
  const onCanvas = new Set(nodes.map((n) => n.id));
  const positions: Draft['layout']['nodes'] = {};
  for (const node of nodes) positions[node.id] = { x: Math.round(node.position.x), y: Math.round(node.position.y) };
  const labels = new Map(draft.edges.map((e) => [`${e.from}->${e.to}`, e.label]));
  return {
    ...draft,
    nodes: draft.nodes.filter((n) => onCanvas.has(n.id)),
    edges: edges.map((edge) => {
      const label = typeof edge.label === 'string' ? edge.label : labels.get(`${edge.source}->${edge.target}`);
      return { from: edge.source, to: edge.target, ...(label && { label }) };
    }),
    layout: { ...draft.layout, nodes: positions },
  };
}
