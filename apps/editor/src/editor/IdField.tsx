import { nodeIdSchema } from '@runwright/runbook';
import { useState } from 'react';

/**
 * A node's id, renamed on Enter or when the field loses focus, not per keystroke: the id keys
 * edges, layout and the canvas node, so half-typed ids would churn all of them.
 */
export function IdField({ id, onRename }: { id: string; onRename(next: string): void }) {
  const [text, setText] = useState(id);
  const [shownFor, setShownFor] = useState(id);
  if (shownFor !== id) {
    setShownFor(id);
    setText(id);
  }
  const check = nodeIdSchema.safeParse(text);
  const commit = () => {
    if (check.success && text !== id) onRename(text);
    else setText(id);
  };
  return (
    <div className="field" data-field="id">
      <label>
        <span className="field-label">Id</span>
        <input
          name="id"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
          }}
        />
      </label>
      {!check.success && <span className="field-error">{check.error.issues[0]?.message}</span>}
    </div>
  );
}
