import { createStore } from 'zustand/vanilla';
import { autoLayout } from '../document/auto-layout';
import type { Draft, DraftNode, Position } from '../document/draft';
import * as edit from '../document/edit';

const historyLimit = 200;

export interface EditorState {
  draft: Draft;
  /** The document as last loaded or saved; the draft differs from it when there are unsaved changes. */
  saved: Draft;
  /** Ids of selected nodes and edges (`from->to`). */
  selection: string[];
  past: Draft[];
  future: Draft[];
  clipboard?: edit.Clipboard;
  /** Names the edit in progress (typing in one field); further edits with the same name join its undo step. */
  coalesce?: string;

  load(draft: Draft): void;
  /** Replaces the whole document (the YAML pane); one undo step. */
  replaceDraft(draft: Draft, coalesce?: string): void;
  addNode(kind: string, position: Position): string;
  connect(from: string, to: string): void;
  labelEdge(edgeId: string, label: string | undefined, coalesce?: string): void;
  updateConfig(nodeId: string, config: Record<string, unknown>, coalesce?: string): void;
  /** Changes the node wrapper: title, policies; `id` renames the node everywhere. */
  updateNode(nodeId: string, change: Partial<DraftNode>, coalesce?: string): void;
  updateRunbook(change: Partial<Draft>, coalesce?: string): void;
  moveNode(nodeId: string, position: Position): void;
  moveNodes(positions: Record<string, Position>): void;
  /** Drops a node into a forEach's body, or out of it (`undefined`), at a position relative to its new parent. */
  moveToGroup(nodeId: string, parent: string | undefined, position: Position): void;
  select(ids: string[]): void;
  deleteSelection(): void;
  undo(): void;
  redo(): void;
  copy(): void;
  paste(): void;
  layout(): void;
  markSaved(draft?: Draft): void;
}

export type EditorStore = ReturnType<typeof createEditorStore>;

/** The one place the document changes: every action is named, and each edit is one undo step. */
export function createEditorStore(initial: Draft) {
  return createStore<EditorState>()((set, get) => {
    /** Applies an edit as one undo step; an edit that changes nothing records nothing. */
    const commit = (next: Draft, selection?: string[], coalesce?: string) => {
      const { draft, past } = get();
      if (next === draft) return;
      // Typing a word in one field is one undo step, not one per keystroke.
      const joins = coalesce !== undefined && coalesce === get().coalesce && get().future.length === 0;
      set({
        draft: next,
        past: joins ? past : [...past, draft].slice(-historyLimit),
        future: [],
        coalesce,
        ...(selection && { selection }),
      });
    };
    return {
      draft: initial,
      saved: initial,
      selection: [],
      past: [],
      future: [],

      load: (draft) => set({ draft, saved: draft, selection: [], past: [], future: [] }),
      replaceDraft: (draft, coalesce) => {
        const ids = new Set([...draft.nodes.map((n) => n.id), ...draft.edges.map((e) => `${e.from}->${e.to}`)]);
        commit(draft, get().selection.filter((id) => ids.has(id)), coalesce);
      },
      addNode: (kind, position) => {
        const id = edit.freshId(get().draft, kind);
        commit(edit.addNode(get().draft, { id, kind, config: {} }, position), [id]);
        return id;
      },
      connect: (from, to) => commit(edit.connect(get().draft, from, to)),
      labelEdge: (edgeId, label, coalesce) => commit(edit.labelEdge(get().draft, edgeId, label), undefined, coalesce),
      updateConfig: (nodeId, config, coalesce) => commit(edit.updateConfig(get().draft, nodeId, config), undefined, coalesce),
      updateNode: (nodeId, change, coalesce) => {
        const { id, ...rest } = change;
        let next = get().draft;
        if (Object.keys(rest).length > 0) {
          next = edit.updateNode(next, nodeId, (node) => {
            const merged: DraftNode = { ...node, ...rest };
            // An emptied policy field is removed, not saved as an empty value.
            for (const [key, value] of Object.entries(rest)) if (value === undefined || value === '') delete merged[key];
            return merged;
          });
          // Positions inside a group are relative to it: a node changing groups starts afresh.
          if ('parent' in rest && next.layout.nodes[nodeId]) {
            const { [nodeId]: _, ...others } = next.layout.nodes;
            next = { ...next, layout: { ...next.layout, nodes: others } };
          }
        }
        if (id !== undefined && id !== nodeId) {
          next = edit.renameNode(next, nodeId, id);
          commit(next, get().selection.map((s) => (s === nodeId ? id : s)));
          return;
        }
        commit(next, undefined, coalesce);
      },
      updateRunbook: (change, coalesce) => {
        const next: Draft = { ...get().draft, ...change };
        // A cleared setting is removed, not saved as an empty value.
        for (const [key, value] of Object.entries(change)) if (value === undefined) delete next[key];
        commit(next, undefined, coalesce);
      },
      moveNode: (nodeId, position) => commit(edit.moveNodes(get().draft, { [nodeId]: position })),
      moveNodes: (positions) => commit(edit.moveNodes(get().draft, positions)),
      moveToGroup: (nodeId, parent, position) => {
        const next = edit.setParent(get().draft, nodeId, parent, position);
        // Edges that crossed the new boundary are gone: drop them from the selection too.
        const edges = new Set(next.edges.map((e) => `${e.from}->${e.to}`));
        commit(next, get().selection.filter((id) => !id.includes('->') || edges.has(id)));
      },
      select: (ids) => set({ selection: ids, coalesce: undefined }),
      deleteSelection: () => {
        const { selection, draft } = get();
        if (selection.length > 0) commit(edit.deleteItems(draft, selection), []);
      },
      undo: () => {
        const { past, draft, future } = get();
        const previous = past.at(-1);
        if (previous) set({ draft: previous, past: past.slice(0, -1), future: [draft, ...future], coalesce: undefined });
      },
      redo: () => {
        const { past, draft, future } = get();
        const next = future[0];
        if (next) set({ draft: next, past: [...past, draft], future: future.slice(1), coalesce: undefined });
      },
      copy: () => {
        const { draft, selection } = get();
        const clipboard = edit.copyItems(draft, selection);
        if (clipboard.nodes.length > 0) set({ clipboard });
      },
      paste: () => {
        const { clipboard, draft } = get();
        if (!clipboard) return;
        const pasted = edit.pasteItems(draft, clipboard);
        commit(pasted.draft, pasted.ids);
        // Pasting again shifts once more, so repeated pastes fan out instead of stacking.
        set({ clipboard: { ...clipboard, positions: Object.fromEntries(Object.entries(clipboard.positions).map(([id, p]) => [id, { x: p.x + 40, y: p.y + 40 }])) } });
      },
      layout: () => commit(edit.moveNodes(get().draft, autoLayout(get().draft))),
      markSaved: (draft) => set({ saved: draft ?? get().draft }),
    };
  });
}
