import type { Edge, Node } from '@xyflow/react';
import { stepKinds, type NodeState, type Runbook, type StepType } from '@runwright/runbook';

export interface StepNodeData extends Record<string, unknown> {
  title: string;
  kind: StepType;
  kindLabel: string;
  icon: string;
  state?: NodeState;
}

export type StepFlowNode = Node<StepNodeData, 'step'>;

const columnGap = 260;
const rowGap = 140;

/** Depth of each node (longest path from a root), for nodes without a saved position. */
function depths(runbook: Runbook): Map<string, number> {
  const depth = new Map<string, number>();
  const visit = (id: string, seen: Set<string>): number => {
    if (depth.has(id)) return depth.get(id)!;
    if (seen.has(id)) return 0;
    seen.add(id);
    const parents = runbook.edges.filter((e) => e.to === id).map((e) => e.from);
    const value = parents.length === 0 ? 0 : Math.max(...parents.map((p) => visit(p, seen) + 1));
    depth.set(id, value);
    return value;
  };
  for (const node of runbook.nodes) visit(node.id, new Set());
  return depth;
}

/** Runbook (and, in run mode, live node states) → React Flow nodes and edges. Pure. */
export function toFlow(runbook: Runbook, states: Record<string, NodeState> = {}): { nodes: StepFlowNode[]; edges: Edge[] } {
  const depth = depths(runbook);
  const perRow = new Map<number, number>();
  const nodes = runbook.nodes.map((node): StepFlowNode => {
    const row = depth.get(node.id) ?? 0;
    const column = perRow.get(row) ?? 0;
    perRow.set(row, column + 1);
    const saved = runbook.layout.nodes[node.id];
    const kind = stepKinds[node.kind];
    return {
      id: node.id,
      type: 'step',
      position: saved ?? { x: column * columnGap, y: row * rowGap },
      data: {
        title: node.title ?? node.id,
        kind: node.kind,
        kindLabel: kind.meta.label,
        icon: kind.meta.icon,
        ...(states[node.id] && { state: states[node.id] }),
      },
    };
  });
  const edges = runbook.edges.map(
    (edge): Edge => ({
      id: `${edge.from}->${edge.to}`,
      source: edge.from,
      target: edge.to,
      ...(edge.label && { label: edge.label }),
      animated: states[edge.from]?.status === 'succeeded' && states[edge.to]?.status === 'running',
    }),
  );
  return { nodes, edges };
}
