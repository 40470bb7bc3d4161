import { useEffect } from 'react';
import type { EditorStore } from '../store/editor-store';

const typingIn = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * Keyboard shortcuts of the editor. While the author types in a field, the field's own keys
 * win (Backspace deletes a character, not the node), except save.
 */
export function useShortcuts(store: EditorStore, save: () => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && key === 's') {
        event.preventDefault();
        save();
        return;
      }
      if (typingIn(event.target)) return;
      const s = store.getState();
      const act = (action: () => void) => {
        event.preventDefault();
        action();
      };
      if (key === 'delete' || key === 'backspace') act(s.deleteSelection);
      else if (mod && key === 'z' && event.shiftKey) act(s.redo);
      else if (mod && key === 'z') act(s.undo);
      else if (mod && key === 'y') act(s.redo);
      else if (mod && key === 'c') act(s.copy);
      else if (mod && key === 'v') act(s.paste);
      else if (mod && key === 'a') act(() => s.select(s.draft.nodes.map((n) => n.id)));
      else if (key === 'escape') act(() => s.select([]));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, save]);
}
