import type { Runbook } from '../document/runbook.js';
import type { Problem } from './problems.js';
import { isContainer, scopeOf } from './scopes.js';

/**
 * A node's `parent` must be a forEach node, parents may not nest into a loop, and an edge may
 * only join two nodes of the same (sub-)graph: an edge into or out of a forEach body would
 * make one outer node wait for, or feed, every item's copy of the inner one.
 */
export function checkScopes(runbook: Pick<Runbook, 'nodes' | 'edges'>): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map(runbook.nodes.map((n, i) => [n.id, { node: n as typeof n & { parent?: string }, index: i }]));
  for (const [id, { node, index }] of byId) {
    if (node.parent === undefined) continue;
    const parent = byId.get(node.parent);
    if (!parent) {
      problems.push({ path: `nodes.${index}.parent`, message: `no node with id "${node.parent}"` });
    } else if (!isContainer(parent.node)) {
      problems.push({ path: `nodes.${index}.parent`, message: `"${node.parent}" is a ${parent.node.kind} node; only forEach nodes hold other nodes` });
    } else {
      const chain = [id];
      for (let at: string | undefined = node.parent; at !== undefined; at = byId.get(at)?.node.parent) {
        if (chain.includes(at)) {
          problems.push({ path: `nodes.${index}.parent`, message: `parents form a loop: ${[...chain, at].join(' → ')}` });
          break;
        }
        chain.push(at);
      }
    }
  }
  const parents = new Set(runbook.nodes.map((n) => (n as { parent?: string }).parent));
  runbook.nodes.forEach((node, i) => {
    if (isContainer(node) && !parents.has(node.id)) {
      problems.push({ path: `nodes.${i}`, message: `forEach "${node.id}" has no nodes to run per item: give some nodes \`parent: ${node.id}\`` });
    }
  });
  runbook.edges.forEach((edge, i) => {
    const from = byId.get(edge.from)?.node;
    const to = byId.get(edge.to)?.node;
    if (!from || !to) return;
    const [a, b] = [scopeOf(from), scopeOf(to)];
    if (a !== b) {
      const where = (scope: string) => (scope === '' ? 'the runbook graph' : `the body of "${scope}"`);
      problems.push({ path: `edges.${i}`, message: `edge ${edge.from} → ${edge.to} crosses from ${where(a)} into ${where(b)}; edges stay inside one graph` });
    }
  });
  return problems;
}
