import type { Edge } from '../document/runbook.js';

/**
 * For every node, the ids of the nodes that always settle before it (those with a path to
 * it). Only these have an output a node's expressions can rely on.
 */
export function ancestorsOf(nodeIds: readonly string[], edges: readonly Edge[]): Map<string, Set<string>> {
  const predecessors = new Map<string, string[]>(nodeIds.map((id) => [id, []]));
  for (const edge of edges) predecessors.get(edge.to)?.push(edge.from);
  const ancestors = new Map<string, Set<string>>();
  // The "in progress" mark keeps a cycle (reported by checkGraph) from recursing forever.
  const resolve = (id: string, inProgress: Set<string>): Set<string> => {
    const known = ancestors.get(id);
    if (known) return known;
    inProgress.add(id);
    const result = new Set<string>();
    for (const from of predecessors.get(id) ?? []) {
      if (!predecessors.has(from) || inProgress.has(from)) continue;
      result.add(from);
      for (const a of resolve(from, inProgress)) result.add(a);
    }
    inProgress.delete(id);
    ancestors.set(id, result);
    return result;
  };
  for (const id of nodeIds) resolve(id, new Set());
  return ancestors;
}

/**
 * The steps whose outputs a node's expressions may read: its ancestors in its own graph and,
 * inside a forEach body, everything the forEach itself may read (the outer graph's outputs).
 */
export function upstreamOf(
  nodes: readonly { id: string; parent?: string | undefined }[],
  edges: readonly Edge[],
): Map<string, Set<string>> {
  const ancestors = ancestorsOf(nodes.map((n) => n.id), edges);
  const parentOf = new Map(nodes.map((n) => [n.id, n.parent]));
  const upstream = new Map<string, Set<string>>();
  for (const node of nodes) {
    const visible = new Set(ancestors.get(node.id));
    const seen = new Set<string>([node.id]);
    for (let at = node.parent; at !== undefined && !seen.has(at); at = parentOf.get(at)) {
      seen.add(at);
      for (const a of ancestors.get(at) ?? []) visible.add(a);
    }
    upstream.set(node.id, visible);
  }
  return upstream;
}
