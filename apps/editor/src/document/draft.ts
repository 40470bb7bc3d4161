import type { Edge, Layout } from '@runwright/runbook';

/**
 * A node as the author wrote it. The editor keeps the document as written (not zod's parsed
 * output), so saving does not spell out every default and the YAML stays the author's.
 */
export interface DraftNode {
  id: string;
  kind: string;
  title?: string;
  config: Record<string, unknown>;
  [policy: string]: unknown;
}

/** A runbook document being edited: possibly invalid, always the shape the YAML file holds. */
export interface Draft {
  id: string;
  title: string;
  nodes: DraftNode[];
  edges: Edge[];
  layout: Layout;
  [field: string]: unknown;
}

export type Position = { x: number; y: number };

/** Brings any parsed document into the draft shape without dropping what it does not know. */
export function toDraft(document: unknown): Draft {
  const source = (document && typeof document === 'object' ? document : {}) as Record<string, unknown>;
  const layout = (source.layout ?? {}) as Partial<Layout>;
  return {
    ...source,
    id: typeof source.id === 'string' ? source.id : '',
    title: typeof source.title === 'string' ? source.title : '',
    nodes: Array.isArray(source.nodes)
      ? source.nodes.map((n) => {
          const node = (n ?? {}) as Record<string, unknown>;
          return { ...node, id: String(node.id ?? ''), kind: String(node.kind ?? ''), config: (node.config ?? {}) as Record<string, unknown> };
        })
      : [],
    edges: Array.isArray(source.edges) ? (source.edges as Edge[]) : [],
    layout: { nodes: { ...layout.nodes }, notes: [...(layout.notes ?? [])] },
  };
}

/** A fresh runbook for "New runbook". */
export function emptyDraft(id = 'new-runbook'): Draft {
  return { id, title: 'New runbook', description: '', parameters: {}, nodes: [], edges: [], layout: { nodes: {}, notes: [] } };
}
