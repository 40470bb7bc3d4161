import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { EditorState, EditorStore } from '../store/editor-store';

export const EditorStoreContext = createContext<EditorStore | null>(null);

/** Reads the editor store of the page around the component. */
export function useEditor<T>(selector: (state: EditorState) => T): T {
  const store = useContext(EditorStoreContext);
  if (!store) throw new Error('useEditor outside an editor page');
  return useStore(store, selector);
}
