import type { Edge } from '@runwright/runbook';
import type { Draft, DraftNode, Position } from './draft';

/**
 * Pure edits of a draft: each returns a new document and leaves its input untouched, so the
 * store can keep old versions for undo by reference.
 */

const maxIdLength = 64;

/** The first of `base`, `base-2`, `base-3`… that no node uses yet. */
export function freshId(draft: Draft, base: string): string {
  const taken = new Set(draft.nodes.map((n) => n.id));
  const stem = base.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, maxIdLength - 4) || 'step';
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`;
}

export function addNode(draft: Draft, node: DraftNode, position: Position): Draft {
  return {
    ...draft,
    nodes: [...draft.nodes, node],
    layout: { ...draft.layout, nodes: { ...draft.layout.nodes, [node.id]: position } },
  };
}

export function connect(draft: Draft, from: string, to: string, label?: string): Draft {
  if (from === to || draft.edges.some((e) => e.from === from && e.to === to)) return draft;
  return { ...draft, edges: [...draft.edges, { from, to, ...(label && { label }) }] };
}

/** Sets or clears the label of the edge `from->to` (the branch outcome that activates it). */
export function labelEdge(draft: Draft, edgeId: string, label: string | undefined): Draft {
  return {
    ...draft,
    edges: draft.edges.map((e) => {
      if (`${e.from}->${e.to}` !== edgeId) return e;
      const { label: _old, ...rest } = e;
      return label ? { ...rest, label } : rest;
    }),
  };
}

export function updateNode(draft: Draft, nodeId: string, change: (node: DraftNode) => DraftNode): Draft {
  return { ...draft, nodes: draft.nodes.map((n) => (n.id === nodeId ? change(n) : n)) };
}

export function updateConfig(draft: Draft, nodeId: string, config: Record<string, unknown>): Draft {
  return updateNode(draft, nodeId, (n) => ({ ...n, config }));
}

/** Renames a node everywhere its id is used: edges and layout. */
export function renameNode(draft: Draft, from: string, to: string): Draft {
  if (from === to || draft.nodes.some((n) => n.id === to)) return draft;
  const rename = (id: string) => (id === from ? to : id);
  const { [from]: position, ...others } = draft.layout.nodes;
  return {
    ...draft,
    nodes: draft.nodes.map((n) => (n.id === from ? { ...n, id: to } : n)),
    edges: draft.edges.map((e) => ({ ...e, from: rename(e.from), to: rename(e.to) })),
    layout: { ...draft.layout, nodes: position ? { ...others, [to]: position } : others },
  };
}

export function moveNodes(draft: Draft, positions: Record<string, Position>): Draft {
  return { ...draft, layout: { ...draft.layout, nodes: { ...draft.layout.nodes, ...positions } } };
}

/** Removes the given nodes (with their edges and positions) and the given edges (`from->to`). */
export function deleteItems(draft: Draft, ids: readonly string[]): Draft {
  const gone = new Set(ids);
  const nodes = draft.nodes.filter((n) => !gone.has(n.id));
  const kept = new Set(nodes.map((n) => n.id));
  const positions = Object.fromEntries(Object.entries(draft.layout.nodes).filter(([id]) => kept.has(id)));
  return {
    ...draft,
    nodes,
    edges: draft.edges.filter((e) => kept.has(e.from) && kept.has(e.to) && !gone.has(`${e.from}->${e.to}`)),
    layout: { ...draft.layout, nodes: positions },
  };
}

/** What copy keeps: the chosen nodes, the edges among them, and where they were. */
export interface Clipboard {
  nodes: DraftNode[];
  edges: Edge[];
  positions: Record<string, Position>;
}

export function copyItems(draft: Draft, ids: readonly string[]): Clipboard {
  const chosen = new Set(ids);
  const nodes = draft.nodes.filter((n) => chosen.has(n.id));
  const positions: Record<string, Position> = {};
  for (const n of nodes) {
    const at = draft.layout.nodes[n.id];
    if (at) positions[n.id] = at;
  }
  return { nodes, edges: draft.edges.filter((e) => chosen.has(e.from) && chosen.has(e.to)), positions };
}

/** Pastes copies with fresh ids, shifted so they do not hide the originals; returns their ids. */
export function pasteItems(draft: Draft, clipboard: Clipboard, offset: Position = { x: 40, y: 40 }): { draft: Draft; ids: string[] } {
  let next = draft;
  const renamed = new Map<string, string>();
  for (const node of clipboard.nodes) {
    const id = freshId(next, `${node.id}-copy`);
    renamed.set(node.id, id);
    const at = clipboard.positions[node.id] ?? { x: 0, y: 0 };
    next = addNode(next, { ...structuredClone(node), id }, { x: at.x + offset.x, y: at.y + offset.y });
  }
  for (const edge of clipboard.edges) next = connect(next, renamed.get(edge.from)!, renamed.get(edge.to)!, edge.label);
  return { draft: next, ids: [...renamed.values()] };
}

/** The ids of `nodeId` and every node inside it, however deep (a forEach's body). */
export function withDescendants(draft: Draft, nodeId: string): Set<string> {
  const inside = new Set([nodeId]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const node of draft.nodes) {
      if (typeof node.parent === 'string' && inside.has(node.parent) && !inside.has(node.id)) {
        inside.add(node.id);
        grew = true;
      }
    }
  }
  return inside;
}

/**
 * Moves a node into a forEach's body (`parent`), or out to the main flow (`undefined`), placed at
 * `position` (relative to the new parent, as the canvas keeps it). Edges that would cross the
 * new boundary go: an edge may only join nodes of one (sub-)graph. Moving a group into itself
 * or into its own body changes nothing.
 */
export function setParent(draft: Draft, nodeId: string, parent: string | undefined, position: Position): Draft {
  if (parent !== undefined && (withDescendants(draft, nodeId).has(parent) || !draft.nodes.some((n) => n.id === parent))) return draft;
  const nodes = draft.nodes.map((n) => {
    if (n.id !== nodeId) return n;
    const { parent: _old, ...rest } = n;
    return parent === undefined ? (rest as DraftNode) : { ...rest, parent };
  });
  const scopeOf = new Map(nodes.map((n) => [n.id, typeof n.parent === 'string' ? n.parent : '']));
  return {
    ...draft,
    nodes,
    edges: draft.edges.filter((e) => scopeOf.get(e.from) === scopeOf.get(e.to)),
    layout: { ...draft.layout, nodes: { ...draft.layout.nodes, [nodeId]: position } },
  };
}
