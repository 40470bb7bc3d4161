import type { Runbook } from '../document/runbook.js';

/** Kinds whose `parent`-children form a sub-graph run once per item. */
const containerKinds: ReadonlySet<string> = new Set(['forEach']);

export function isContainer(node: { kind: string }): boolean {
  return containerKinds.has(node.kind);
}

/** The sub-graph a node belongs to: its `parent`, or '' for the runbook's own graph. */
export function scopeOf(node: { parent?: string | undefined }): string {
  return node.parent ?? '';
}

/** Nodes with no incoming edge inside their scope, grouped by scope: where each (sub-)graph starts. */
export function rootsByScope(runbook: Pick<Runbook, 'nodes' | 'edges'>): Map<string, string[]> {
  const hasIncoming = new Set(runbook.edges.map((e) => e.to));
  const roots = new Map<string, string[]>();
  for (const node of runbook.nodes) {
    if (hasIncoming.has(node.id)) continue;
    const scope = scopeOf(node as { parent?: string });
    roots.set(scope, [...(roots.get(scope) ?? []), node.id]);
  }
  return roots;
}
