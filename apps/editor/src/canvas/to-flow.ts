import { MarkerType, type Edge, type Node } from '@xyflow/react';
import { isStepType, stepKinds, type NodeState, type Problem } from '@runwright/runbook';
import type { Draft, Position } from '../document/draft';
import type { DiffMark } from '../document/version-diff';
import { rollbackLane, type RollbackStep } from './rollback-lane';

export interface StepNodeData extends Record<string, unknown> {
  title: string;
  kind: string;
  kindLabel: string;
  icon: string;
  category: string;
  state?: NodeState;
  problems: Problem[];
  /** How many nodes sit inside this one (a forEach's sub-graph); drawn as a group around them. */
  children?: number;
  /** In run mode, once compensation has begun: this node's place in the rollback lane. */
  rollback?: RollbackStep;
  /** Comparing two versions: how this node differs. */
  diff?: DiffMark;
}

export type StepFlowNode = Node<StepNodeData, 'step'>;

export interface FlowOptions {
  /** Live node states, in run mode. */
  states?: Record<string, NodeState>;
  /** Problems of the shared checks, keyed by node id. */
  problems?: Record<string, Problem[]>;
  selected?: readonly string[];
  /**
   * Authoring: children may be dragged out of their group (to leave it). Read-only canvases keep
   * them inside, as React Flow's `extent: 'parent'` does.
   */
  childrenLeave?: boolean;
  /** Comparing two versions: marks per node id and per edge id. */
  diff?: { nodes: Record<string, DiffMark>; edges: Record<string, DiffMark> };
}

const columnGap = 260;
const rowGap = 140;
// The node box (see styles.css) and the room a group keeps around and above its children.
export const nodeSize = { width: 220, height: 96 };
const groupPadding = { x: 20, top: 56, bottom: 20 };

/** Depth of each node (longest path from a root), for nodes without a saved position. */
function depths(draft: Draft): Map<string, number> {
  const parents = new Map<string, string[]>();
  for (const edge of draft.edges) parents.set(edge.to, [...(parents.get(edge.to) ?? []), edge.from]);
  const depth = new Map<string, number>();
  const visit = (id: string, seen: Set<string>): number => {
    if (depth.has(id)) return depth.get(id)!;
    if (seen.has(id)) return 0;
    seen.add(id);
    const from = parents.get(id) ?? [];
    const value = from.length === 0 ? 0 : Math.max(...from.map((p) => visit(p, seen) + 1));
    depth.set(id, value);
    return value;
  };
  for (const node of draft.nodes) visit(node.id, new Set());
  return depth;
}

/** Where nodes without a saved position go: rows by depth in the graph. */
export function fallbackPositions(draft: Draft): Map<string, Position> {
  const depth = depths(draft);
  const perRow = new Map<number, number>();
  const positions = new Map<string, Position>();
  for (const node of draft.nodes) {
    const row = depth.get(node.id) ?? 0;
    const column = perRow.get(row) ?? 0;
    perRow.set(row, column + 1);
    positions.set(node.id, { x: column * columnGap, y: row * rowGap });
  }
  return positions;
}

export function edgeId(edge: { from: string; to: string }): string {
  return `${edge.from}->${edge.to}`;
}

/** The node a node sits inside (`parent`), when that node exists. */
function parentOf(draft: Draft, ids: Set<string>, node: Draft['nodes'][number]): string | undefined {
  return typeof node.parent === 'string' && node.parent !== node.id && ids.has(node.parent) ? node.parent : undefined;
}

/**
 * Runbook document (and, in run mode, live node states) → React Flow nodes and edges. Pure.
 * Nodes inside a forEach become React Flow children (`parentId`): their saved positions are
 * relative to the group, as React Flow keeps them, and the group is sized to hold them.
 */
export function toFlow(draft: Draft, options: FlowOptions = {}): { nodes: StepFlowNode[]; edges: Edge[] } {
  const { states = {}, problems = {}, selected = [], diff, childrenLeave = false } = options;
  const fallback = draft.nodes.some((n) => !draft.layout.nodes[n.id]) ? fallbackPositions(draft) : undefined;
  const chosen = new Set(selected);
  const lane = rollbackLane(draft, states);
  const inLane = new Map(lane.map((step) => [step.nodeId, step]));
  const ids = new Set(draft.nodes.map((n) => n.id));
  const children = new Map<string, string[]>();
  for (const node of draft.nodes) {
    const parent = parentOf(draft, ids, node);
    if (parent) children.set(parent, [...(children.get(parent) ?? []), node.id]);
  }
  const positionOf = (id: string, parent: string | undefined) => {
    const saved = draft.layout.nodes[id];
    if (saved) return saved;
    if (!parent) return fallback?.get(id) ?? { x: 0, y: 0 };
    const index = children.get(parent)!.indexOf(id);
    return { x: groupPadding.x, y: groupPadding.top + index * rowGap };
  };
  // React Flow needs a parent before its children.
  const ordered = [...draft.nodes.filter((n) => !parentOf(draft, ids, n)), ...draft.nodes.filter((n) => parentOf(draft, ids, n))];
  const nodes = ordered.map((node): StepFlowNode => {
    const kind = isStepType(node.kind) ? stepKinds[node.kind] : undefined;
    const state = states[node.id];
    const parent = parentOf(draft, ids, node);
    const inside = children.get(node.id);
    let size: { width: number; height: number } | undefined;
    if (inside) {
      const spots = inside.map((id) => positionOf(id, node.id));
      size = {
        width: Math.max(nodeSize.width + 2 * groupPadding.x, ...spots.map((p) => p.x + nodeSize.width + groupPadding.x)),
        height: Math.max(nodeSize.height + groupPadding.top, ...spots.map((p) => p.y + nodeSize.height + groupPadding.bottom)),
      };
    }
    return {
      id: node.id,
      type: 'step',
      position: positionOf(node.id, parent),
      selected: chosen.has(node.id),
      ...(parent && { parentId: parent, ...(!childrenLeave && { extent: 'parent' as const }) }),
      // Read-only canvases never store React Flow's measurements back, so say the size up front
      // (the minimap draws nothing for a node of unknown size).
      ...(size ? { style: size, width: size.width, height: size.height } : { initialWidth: nodeSize.width, initialHeight: nodeSize.height }),
      data: {
        title: node.title ?? node.id,
        kind: node.kind,
        kindLabel: kind?.meta.label ?? `unknown kind "${node.kind}"`,
        icon: kind?.meta.icon ?? 'help-circle',
        category: kind?.category ?? 'unknown',
        problems: problems[node.id] ?? [],
        ...(inside && { children: inside.length }),
        ...(state && { state }),
        ...(inLane.has(node.id) && { rollback: inLane.get(node.id)! }),
        ...(diff?.nodes[node.id] && { diff: diff.nodes[node.id] }),
      },
    };
  });
  const edges = draft.edges.map(
    (edge): Edge => ({
      id: edgeId(edge),
      source: edge.from,
      target: edge.to,
      selected: chosen.has(edgeId(edge)),
      ...(edge.label && { label: edge.label }),
      animated: states[edge.from]?.status === 'succeeded' && states[edge.to]?.status === 'running',
      ...(diff?.edges[edgeId(edge)] && { className: `diff-${diff.edges[edgeId(edge)]}` }),
    }),
  );
  // The rollback lane runs against the flow: one edge from each rollback to the next one.
  const laneEdges = lane.slice(1).map(
    (step, index): Edge => ({
      id: `rollback:${lane[index]!.nodeId}->${step.nodeId}`,
      source: lane[index]!.nodeId,
      target: step.nodeId,
      type: 'rollback',
      className: 'rollback-edge',
      label: `↩ ${index + 2}`,
      markerEnd: { type: MarkerType.ArrowClosed, color: '#8e44ad' },
      selectable: false,
      animated: step.status === 'pending',
    }),
  );
  return { nodes, edges: [...edges, ...laneEdges] };
}
