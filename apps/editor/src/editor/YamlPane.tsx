import { useState } from 'react';
import type { Draft } from '../document/draft';
import { readYaml, sameDocument, writeYaml } from '../document/yaml-text';
import { useEditor } from './editor-context';

/**
 * The document as YAML, editable. Typing applies each text that parses (the canvas follows);
 * text that does not parse stays in the pane with the parser's message, and the canvas keeps
 * the last good document. Edits on the canvas rewrite the text.
 */
export function YamlPane({ source, onSourceChange }: { source: string; onSourceChange(text: string): void }) {
  const draft = useEditor((s) => s.draft);
  const replaceDraft = useEditor((s) => s.replaceDraft);
  const [text, setText] = useState(() => writeYaml(draft, source));
  const [shownFor, setShownFor] = useState<Draft>(draft);
  let shown = text;
  const read = readYaml(text);
  if (shownFor !== draft && (!read.ok || !sameDocument(read.draft, draft))) {
    // The document changed elsewhere (canvas, inspector, undo): the text follows it.
    shown = writeYaml(draft, text);
    setText(shown);
    setShownFor(draft);
  }
  const error = readYaml(shown);
  return (
    <section className="yaml-pane" aria-label="YAML">
      <textarea
        name="yaml"
        className="code"
        spellCheck={false}
        value={shown}
        onChange={(event) => {
          const next = event.target.value;
          setText(next);
          onSourceChange(next);
          const parsed = readYaml(next);
          if (parsed.ok && !sameDocument(parsed.draft, draft)) {
            setShownFor(parsed.draft);
            replaceDraft(parsed.draft, 'yaml');
          }
        }}
      />
      {!error.ok && <p className="error yaml-error">{error.message}</p>}
    </section>
  );
}
