import { Panel, useReactFlow } from '@xyflow/react';
import { useState } from 'react';
import { useEditor } from './editor-context';

/** Tools that move the viewport: search for a node, auto-layout, zoom to fit. */
export function CanvasTools() {
  const { fitView } = useReactFlow();
  const draft = useEditor((s) => s.draft);
  const select = useEditor((s) => s.select);
  const layout = useEditor((s) => s.layout);
  const [query, setQuery] = useState('');
  const [missing, setMissing] = useState(false);
  const find = () => {
    const q = query.trim().toLowerCase();
    if (!q) return;
    const found = draft.nodes.find((n) => n.id.toLowerCase().includes(q) || (n.title ?? '').toLowerCase().includes(q));
    setMissing(!found);
    if (!found) return;
    select([found.id]);
    void fitView({ nodes: [{ id: found.id }], duration: 200, maxZoom: 1.2 });
  };
  return (
    <Panel position="top-right" className="canvas-tools">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          find();
        }}
      >
        <input
          name="search"
          type="search"
          placeholder="Find a node (id or title)"
          value={query}
          className={missing ? 'not-found' : undefined}
          onChange={(e) => {
            setQuery(e.target.value);
            setMissing(false);
          }}
        />
      </form>
      <button
        type="button"
        onClick={() => {
          layout();
          // Let React Flow measure the moved nodes before fitting them into view.
          requestAnimationFrame(() => void fitView({ duration: 200 }));
        }}
      >
        Auto-layout
      </button>
      <button type="button" onClick={() => void fitView({ duration: 200 })}>
        Zoom to fit
      </button>
    </Panel>
  );
}
