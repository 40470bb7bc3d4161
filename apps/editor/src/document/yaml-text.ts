import { parse, stringify, YAMLParseError } from 'yaml';
import { runbookSchema, saveRunbook, type Runbook } from '@runwright/runbook';
import { toDraft, type Draft } from './draft';

export type YamlRead = { ok: true; draft: Draft } | { ok: false; message: string };

/** YAML text → draft; text that is not YAML (or not a mapping) is reported, never half-applied. */
export function readYaml(text: string): YamlRead {
  try {
    const document: unknown = parse(text);
    if (!document || typeof document !== 'object' || Array.isArray(document)) {
      return { ok: false, message: 'a runbook is a YAML mapping (id, title, nodes, …)' };
    }
    return { ok: true, draft: toDraft(document) };
  } catch (error) {
    return { ok: false, message: error instanceof YAMLParseError ? error.message : String(error) };
  }
}

export function sameDocument(a: Draft, b: Draft): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The file text for a draft. When `source` (the file as loaded or last typed) still says the
 * same thing, it is kept byte for byte. Otherwise a draft that fits the schema is written by the
 * language's `saveRunbook`, which edits `source` in place (comments and formatting survive,
 * defaults are left out); a draft that does not fit yet is written out as it stands, so the
 * author's half-done work is never lost.
 */
export function writeYaml(draft: Draft, source?: string): string {
  if (source !== undefined) {
    const read = readYaml(source);
    if (read.ok && sameDocument(read.draft, draft)) return source;
  }
  const parsed = runbookSchema.safeParse(draft);
  if (parsed.success) {
    try {
      return saveRunbook(parsed.data as Runbook, source || undefined);
    } catch {
      // Fall through to the plain form.
    }
  }
  return stringify(draft, { lineWidth: 0 });
}
