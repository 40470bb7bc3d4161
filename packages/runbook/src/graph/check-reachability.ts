import jsonata from 'jsonata';
import type { Edge, Runbook, RunbookNode } from '../document/runbook.js';
import type { Problem } from './problems.js';
import { rootsByScope, scopeOf } from './scopes.js';

/** Kinds that take only the outgoing edges whose label matches their value; every other kind takes all. */
const branchingKinds: ReadonlySet<string> = new Set(['branch']);
/** The label a branch takes when no other label matches its value. */
const fallbackLabel = 'default';

export function isBranching(node: { kind: string }): boolean {
  return branchingKinds.has(node.kind);
}

type Literal = { constant: true; value: unknown } | { constant: false };

/** The value of an expression that is a plain literal (`false`, `'fast'`, `3`), when it is one. */
function literalOf(source: string): Literal {
  try {
    const ast = jsonata(source.replace(/^\s*\{\{([\s\S]*)\}\}\s*$/, '$1')).ast() as { type?: string; value?: unknown };
    if (ast.type === 'value' || ast.type === 'string' || ast.type === 'number') return { constant: true, value: ast.value };
  } catch {
    // Parse errors are reported by the expression checks.
  }
  return { constant: false };
}

/** A `when` that is the literal `false`: the node is always skipped. */
function neverRuns(node: RunbookNode): boolean {
  const when = (node as { when?: unknown }).when;
  if (typeof when !== 'string') return false;
  const literal = literalOf(when);
  return literal.constant && literal.value === false;
}

/** Why an edge can never be taken, or undefined when it can. */
function deadEdgeReason(source: RunbookNode, edge: Edge, siblings: readonly Edge[]): string | undefined {
  if (!isBranching(source) || edge.label === undefined) return undefined;
  const expression = (source.config as { expression?: unknown }).expression;
  if (typeof expression !== 'string') return undefined;
  const literal = literalOf(expression);
  if (!literal.constant) return undefined;
  const value = typeof literal.value === 'string' ? literal.value : JSON.stringify(literal.value);
  const taken = siblings.some((e) => e.label === value) ? value : siblings.some((e) => e.label === fallbackLabel) ? fallbackLabel : undefined;
  if (taken === undefined) {
    return `branch "${source.id}" always gives ${JSON.stringify(literal.value)}, which no edge is labelled with, and it has no "${fallbackLabel}" edge: the run would fail there`;
  }
  return edge.label === taken ? undefined : `branch "${source.id}" always takes "${taken}" (its expression is the constant ${JSON.stringify(literal.value)})`;
}

/**
 * Nodes that can never run. In every graph (the runbook's, and each forEach body) the nodes
 * without an incoming edge are where it starts, in parallel. A node can run when one of its
 * incoming edges can be taken from a node that can run: a branch whose expression is a
 * constant takes only one label, and a node whose `when` is literally false never runs.
 * Skipping propagates, so whatever is reached only through such dead parts never runs either.
 */
export function checkReachability(runbook: Pick<Runbook, 'nodes' | 'edges'>): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map(runbook.nodes.map((n, i) => [n.id, { node: n, index: i }]));
  const outgoing = new Map<string, Edge[]>();
  for (const edge of runbook.edges) outgoing.set(edge.from, [...(outgoing.get(edge.from) ?? []), edge]);
  const roots = rootsByScope(runbook);

  runbook.edges.forEach((edge, i) => {
    const source = byId.get(edge.from);
    const reason = source && deadEdgeReason(source.node, edge, outgoing.get(edge.from) ?? []);
    if (reason) problems.push({ path: `edges.${i}.label`, message: `this edge is never taken: ${reason}` });
  });

  // A forEach body starts when its forEach runs; repeat until no new node becomes live.
  const live = new Set<string>();
  const frontier: string[] = [];
  const activate = (id: string) => {
    if (live.has(id) || neverRuns(byId.get(id)!.node)) return;
    live.add(id);
    frontier.push(id);
    for (const root of roots.get(id) ?? []) activate(root);
  };
  for (const root of roots.get('') ?? []) activate(root);
  while (frontier.length > 0) {
    const id = frontier.pop()!;
    for (const edge of outgoing.get(id) ?? []) {
      if (byId.has(edge.to) && !deadEdgeReason(byId.get(id)!.node, edge, outgoing.get(id) ?? [])) activate(edge.to);
    }
  }

  for (const [id, { node, index }] of byId) {
    if (live.has(id)) continue;
    const scope = scopeOf(node as { parent?: string });
    if (scope !== '' && !live.has(scope)) continue; // Its forEach is reported; one problem is enough.
    const starts = roots.get(scope) ?? [];
    const graph = scope === '' ? 'the run' : `the body of "${scope}"`;
    const startText = starts.length === 1 ? `${graph} starts at "${starts[0]}"` : `${graph} starts at ${starts.map((r) => `"${r}"`).join(', ')} (the nodes with no incoming edge)`;
    const message = neverRuns(node)
      ? `node "${id}" never runs: its condition is always false`
      : `node "${id}" can never run: every path to it passes a node or edge that is never taken; ${startText}`;
    problems.push({ path: `nodes.${index}`, message });
  }
  return problems;
}
