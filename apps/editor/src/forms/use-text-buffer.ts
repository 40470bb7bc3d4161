import { useState } from 'react';

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Text the author is typing that stands for a structured value (a list, a map, JSON, YAML).
 * The text is kept as typed while it means the current value, so a half-typed line is not
 * reformatted away; when the value changes from elsewhere (undo, the other pane) the text
 * follows it. Text that does not parse is kept and reported, never lost.
 */
export function useTextBuffer<T>(value: T, format: (value: T) => string, parse: (text: string) => Parsed<T>) {
  const [text, setText] = useState(() => format(value));
  const parsed = parse(text);
  const stale = parsed.ok && !same(parsed.value, value);
  const shown = stale ? format(value) : text;
  if (stale && text !== shown) setText(shown);
  return {
    text: shown,
    error: !stale && !parsed.ok ? parsed.message : undefined,
    /** Keeps the text and returns the value it stands for, if it parses. */
    change(next: string): Parsed<T> {
      setText(next);
      return parse(next);
    },
  };
}
