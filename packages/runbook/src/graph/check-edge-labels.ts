import type { Runbook } from '../document/runbook.js';
import { isBranching } from './check-reachability.js';
import type { Problem } from './problems.js';

/**
 * A branch activates edges by their label, so each of its edges needs one and no two may
 * share one; any other node activates all its edges, so a label there would mislead readers.
 */
export function checkEdgeLabels(runbook: Pick<Runbook, 'nodes' | 'edges'>): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map(runbook.nodes.map((n) => [n.id, n]));
  const labelsSeen = new Map<string, number>();
  runbook.edges.forEach((edge, i) => {
    const source = byId.get(edge.from);
    if (!source) return;
    if (isBranching(source)) {
      if (edge.label === undefined || edge.label === '') {
        problems.push({ path: `edges.${i}`, message: `edge ${edge.from} → ${edge.to} leaves branch "${edge.from}" without a label: name the outcome that takes it` });
        return;
      }
      const key = `${edge.from}\u0000${edge.label}`;
      if (labelsSeen.has(key)) {
        problems.push({ path: `edges.${i}.label`, message: `branch "${edge.from}" already has an edge labelled "${edge.label}" (edges.${labelsSeen.get(key)})` });
      } else {
        labelsSeen.set(key, i);
      }
    } else if (edge.label !== undefined) {
      problems.push({ path: `edges.${i}.label`, message: `only branch nodes label their edges; "${edge.from}" is a ${source.kind} node and takes every outgoing edge` });
    }
  });
  return problems;
}
