/** Text for HTML element content and quoted attribute values: titles, comments and outputs are untrusted. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Text for a Markdown table cell or line: Markdown passes raw HTML through, so `<`, `>` and `&`
 * become entities; its own syntax characters are backslash-escaped; a newline would end the
 * table row, so it becomes a space.
 */
export function escapeMarkdown(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

/** A checklist answer or output as one line of text. */
export function answerText(value: unknown): string {
  if (value === true) return 'yes';
  if (value === false) return 'no';
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? '';
}

/** A measured figure, or why there is none. */
export function secondsText(value: number | null): string {
  return value === null ? 'not measured' : `${value} s`;
}
