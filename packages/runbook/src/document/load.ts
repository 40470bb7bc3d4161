import { parse as parseYaml, YAMLParseError } from 'yaml';
import { checkRunbook } from '../graph/check-runbook.js';
import { pathToString, type Problem } from '../graph/problems.js';
import { planHash } from './hash.js';
import { runbookSchema, type Runbook } from './runbook.js';

export type LoadResult =
  | { ok: true; runbook: Runbook; planHash: string }
  | { ok: false; problems: Problem[] };

/** Validates a parsed document: schema first, then the graph and expression checks. */
export function validateRunbook(document: unknown): LoadResult {
  const parsed = runbookSchema.safeParse(document);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({ path: pathToString(issue.path), message: issue.message })),
    };
  }
  const runbook = parsed.data as Runbook;
  const problems = checkRunbook(runbook);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, runbook, planHash: planHash(runbook) };
}

/** Parses a runbook file (YAML; JSON is YAML too) and validates it. */
export function loadRunbook(text: string): LoadResult {
  let document: unknown;
  try {
    document = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    const message = error instanceof YAMLParseError ? error.message : String(error);
    return { ok: false, problems: [{ path: '', message: `not valid YAML: ${message}` }] };
  }
  return validateRunbook(document);
}
