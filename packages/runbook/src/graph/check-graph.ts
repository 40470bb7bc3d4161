import type { Runbook } from '../document/runbook.js';
import type { Problem } from './problems.js';

/**
 * Structural checks the schema cannot express: ids, edges and cycles.
 * Every problem is reported, each with the path of the part it concerns.
 */
export function checkGraph(runbook: Runbook): Problem[] {
  const problems: Problem[] = [];
  const index = new Map<string, number>();
  runbook.nodes.forEach((node, i) => {
    if (index.has(node.id)) {
      problems.push({ path: `nodes.${i}.id`, message: `duplicate node id "${node.id}" (first used by nodes.${index.get(node.id)})` });
    } else {
      index.set(node.id, i);
    }
  });

  const seen = new Set<string>();
  const successors = new Map<string, string[]>([...index.keys()].map((id) => [id, []]));
  runbook.edges.forEach((edge, i) => {
    for (const end of ['from', 'to'] as const) {
      if (!index.has(edge[end])) problems.push({ path: `edges.${i}.${end}`, message: `no node with id "${edge[end]}"` });
    }
    if (edge.from === edge.to) problems.push({ path: `edges.${i}`, message: `node "${edge.from}" cannot lead to itself` });
    const key = `${edge.from}->${edge.to}`;
    if (seen.has(key)) problems.push({ path: `edges.${i}`, message: `duplicate edge ${edge.from} → ${edge.to}` });
    seen.add(key);
    successors.get(edge.from)?.push(edge.to);
  });

  const cycle = findCycle(successors);
  if (cycle) {
    const i = index.get(cycle[0]!) ?? 0;
    problems.push({ path: `nodes.${i}`, message: `the graph has a cycle: ${cycle.join(' → ')}` });
  }

  return problems;
}

/** Depth-first search; returns the node ids of one cycle (first id repeated at the end), if any. */
function findCycle(successors: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'open');
    stack.push(id);
    for (const next of successors.get(id) ?? []) {
      if (!successors.has(next)) continue;
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of successors.keys()) {
    if (!state.has(id)) {
      const found = visit(id);
      if (found) return found;
    }
  }
  return undefined;
}
