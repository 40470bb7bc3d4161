import type { Edge, Runbook } from '../document/runbook.js';

/** Incoming and outgoing edges per node id, in document order. */
export interface Topology {
  incoming: Map<string, Edge[]>;
  outgoing: Map<string, Edge[]>;
  roots: string[];
}

export function topologyOf(runbook: Pick<Runbook, 'nodes' | 'edges'>): Topology {
  const incoming = new Map<string, Edge[]>(runbook.nodes.map((n) => [n.id, []]));
  const outgoing = new Map<string, Edge[]>(runbook.nodes.map((n) => [n.id, []]));
  for (const edge of runbook.edges) {
    incoming.get(edge.to)?.push(edge);
    outgoing.get(edge.from)?.push(edge);
  }
  const roots = runbook.nodes.filter((n) => incoming.get(n.id)!.length === 0).map((n) => n.id);
  return { incoming, outgoing, roots };
}
