import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { routes } from '@runwright/runbook';
import { api, ApiCallError } from '../api/client';
import { useCan } from '../auth/identity';
import type { Draft } from '../document/draft';
import { checkDraft } from '../document/node-problems';
import { sameDocument, writeYaml } from '../document/yaml-text';
import { createEditorStore } from '../store/editor-store';
import { EditorCanvas } from './EditorCanvas';
import { EditorStoreContext } from './editor-context';
import { Inspector } from './Inspector';
import { Palette } from './Palette';
import { ProblemsList } from './ProblemsList';
import { StartForm } from './StartForm';
import { useShortcuts } from './use-shortcuts';
import { YamlPane } from './YamlPane';
import { guardLeaving, navigate } from '../use-hash-route';

/** The editor for one runbook: palette, canvas, inspector, YAML, problems, save and start. */
export function EditorPage({
  initial,
  source: loadedSource,
  planHash: loadedPlanHash,
  isNew,
}: {
  initial: Draft;
  source: string;
  /** The plan hash of the file as loaded: saving is refused if someone changed the plan since. */
  planHash?: string;
  isNew: boolean;
}) {
  const [store] = useState(() => createEditorStore(initial));
  const draft = useStore(store, (s) => s.draft);
  const saved = useStore(store, (s) => s.saved);
  const canUndo = useStore(store, (s) => s.past.length > 0);
  const canRedo = useStore(store, (s) => s.future.length > 0);
  const hasSelection = useStore(store, (s) => s.selection.length > 0);
  const [source, setSource] = useState(loadedSource);
  const [planHash, setPlanHash] = useState(loadedPlanHash);
  const maySave = useCan(routes.updateRunbook.access);
  const [showYaml, setShowYaml] = useState(false);
  const [saveMessage, setSaveMessage] = useState<{ ok: boolean; text: string }>();
  const check = useMemo(() => checkDraft(draft), [draft]);
  // Compared by content: undoing (or typing back) every change leaves nothing unsaved.
  const dirty = useMemo(() => isNew || (draft !== saved && !sameDocument(draft, saved)), [draft, saved, isNew]);

  /** Set while the page moves itself on (a new runbook's first save): no question to ask. */
  const saving = useRef(false);
  const save = useCallback(async () => {
    const current = store.getState().draft;
    const text = writeYaml(current, source);
    try {
      // A new runbook, or one given a new id, becomes a new file; otherwise its file is replaced.
      const result =
        isNew || current.id !== initial.id ? await api.createRunbook(text) : await api.updateRunbook(current.id, text, planHash);
      setPlanHash(result.planHash);
      store.getState().markSaved(current);
      setSource(text);
      setSaveMessage({ ok: true, text: `Saved ${current.id}.yaml` });
      if (isNew || current.id !== initial.id) {
        saving.current = true;
        navigate(`/runbooks/${encodeURIComponent(current.id)}`);
      }
    } catch (e) {
      const error = e as ApiCallError;
      setSaveMessage({ ok: false, text: `Not saved: ${error.message}${error.body?.details.map((d) => `\n${d.path}: ${d.message}`).join('') ?? ''}` });
    }
  }, [store, source, isNew, planHash, initial.id]);
  useShortcuts(store, () => void save());

  // Leaving with unsaved changes asks first: closing the tab, and moving to another page of the editor.
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    const unguard = guardLeaving(() => saving.current || window.confirm('This runbook has unsaved changes. Leave and lose them?'));
    return () => {
      window.removeEventListener('beforeunload', warn);
      unguard();
    };
  }, [dirty]);

  const blockedBy =
    check.problems.length > 0
      ? 'Fix the problems before starting a run.'
      : dirty
        ? 'Save your changes first: a run starts the saved file.'
        : undefined;
  const s = store.getState();
  return (
    <EditorStoreContext.Provider value={store}>
      <section className="editor-page" data-dirty={dirty} data-problems={check.problems.length}>
        <header className="editor-header">
          <h1>
            {draft.title || draft.id}
            {dirty && (
              <span className="unsaved" title="unsaved changes">
                {' '}
                ● unsaved
              </span>
            )}
          </h1>
          <div className="toolbar" role="toolbar">
            {maySave && (
              <button type="button" onClick={() => void save()} title="Save (Ctrl+S)">
                Save
              </button>
            )}
            <button type="button" onClick={s.undo} disabled={!canUndo} title="Undo (Ctrl+Z)">
              Undo
            </button>
            <button type="button" onClick={s.redo} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)">
              Redo
            </button>
            <button type="button" onClick={s.deleteSelection} disabled={!hasSelection} title="Delete (Del)">
              Delete
            </button>
            <button type="button" onClick={() => setShowYaml(!showYaml)} aria-pressed={showYaml}>
              YAML
            </button>
            {!isNew && (
              <a className="history-link" href={`#/runbooks/${encodeURIComponent(initial.id)}/history`}>
                History
              </a>
            )}
            {!isNew && draft.objectives !== undefined && (
              <a className="drills-link" href={`#/runbooks/${encodeURIComponent(initial.id)}/drills`}>
                Drills
              </a>
            )}
            {saveMessage && <span className={saveMessage.ok ? 'save-ok' : 'error save-error'}>{saveMessage.text}</span>}
          </div>
          <StartForm key={draft.id} draft={draft} blockedBy={blockedBy} />
        </header>
        <div className="editor-body">
          <Palette onAdd={(kind) => s.addNode(kind, { x: 0, y: (draft.nodes.length + 1) * 140 })} />
          <ReactFlowProvider>
            <EditorCanvas problems={check.byNode} />
          </ReactFlowProvider>
          {showYaml && <YamlPane source={source} onSourceChange={setSource} />}
          <Inspector problems={check.byNode} all={check.problems} />
        </div>
        <ProblemsList draft={draft} problems={check.problems} onSelect={(id) => s.select([id])} />
      </section>
    </EditorStoreContext.Provider>
  );
}
