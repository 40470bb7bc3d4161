import { isTemplateString } from '@runwright/runbook';

/** What an author's text stands for, or why it stands for nothing yet. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * A number field's text: a number, or — where the field takes templates — a `{{ template }}`
 * kept as text (the worker renders it and checks the result). Empty text is "not set".
 */
export function numberFromText(text: string, templates: boolean): Parsed<number | string | undefined> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: undefined };
  if (templates && isTemplateString(trimmed)) return { ok: true, value: trimmed };
  const number = Number(trimmed);
  if (Number.isFinite(number)) return { ok: true, value: number };
  return { ok: false, message: templates ? 'not a number or a {{ template }}' : 'not a number' };
}

/**
 * A list field's text, one entry per line. Entries of a numeric list become numbers; an entry
 * that is a template stays text where the items take templates. No entries is "not set".
 */
export function listFromText(text: string, numeric: boolean, templates: boolean): Parsed<unknown[] | undefined> {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) return { ok: true, value: undefined };
  if (!numeric) return { ok: true, value: lines };
  const entries: unknown[] = [];
  for (const line of lines) {
    const entry = numberFromText(line, templates);
    if (!entry.ok) return { ok: false, message: templates ? 'one number or {{ template }} per line' : 'one number per line' };
    entries.push(entry.value);
  }
  return { ok: true, value: entries };
}
