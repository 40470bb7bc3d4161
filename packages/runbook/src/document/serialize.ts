import { diff3Merge, diffPatch, patch } from 'node-diff3';
import { Document, parse as parseYaml, parseDocument } from 'yaml';
import { canonicalJson } from './hash.js';
import { nodeSchema, runbookSchema, type Runbook } from './runbook.js';
import { parameterSchema } from './parameters.js';
import { withoutDefaults } from './minimize.js';
import { YamlReconciler } from './yaml-reconcile.js';
import { applyFlowStyle, orderedCopy } from './yaml-style.js';

const toStringOptions = { lineWidth: 0, indentSeq: true } as const;

/** The runbook as its author would write it: no values the schema fills in anyway, keys in the fixed order. */
export function writtenForm(runbook: Runbook): Record<string, unknown> {
  const { nodes, edges, parameters, layout, ...rest } = runbook;
  const top = withoutDefaults(rest, (candidate) =>
    runbookSchema.omit({ nodes: true, edges: true, parameters: true, layout: true }).parse(candidate),
  ) as Record<string, unknown>;
  const written: Record<string, unknown> = { ...top };
  if (Object.keys(parameters).length > 0) {
    written.parameters = Object.fromEntries(
      Object.entries(parameters).map(([name, p]) => [name, withoutDefaults(p, (c) => parameterSchema.parse(c))]),
    );
  }
  written.nodes = nodes.map((node) => withoutDefaults(node, (c) => nodeSchema.parse(c)));
  if (edges.length > 0) written.edges = edges;
  const hasLayout = Object.keys(layout.nodes).length > 0 || layout.notes.length > 0;
  if (hasLayout) written.layout = layout.notes.length > 0 ? layout : { nodes: layout.nodes };
  return orderedCopy(written, runbook) as Record<string, unknown>;
}

function freshText(runbook: Runbook): string {
  const doc = new Document(writtenForm(runbook));
  applyFlowStyle(doc.contents);
  return doc.toString(toStringOptions);
}

/**
 * Writes a runbook as YAML in one stable shape, so files round-trip through the editor with
 * minimal diffs. Given the file's previous text, it edits that text's YAML document instead:
 * only what changed is rewritten, and comments and formatting elsewhere survive. Previous
 * text that does not hold a valid runbook is replaced whole.
 */
export function saveRunbook(runbook: Runbook, previousText?: string): string {
  const next = runbookSchema.parse(runbook) as Runbook;
  if (previousText === undefined) return freshText(next);
  const doc = parseDocument(previousText);
  if (doc.errors.length > 0 || doc.contents === null) return freshText(next);
  const previous = runbookSchema.safeParse(doc.toJS());
  if (!previous.success) return freshText(next);
  const base = doc.toString(toStringOptions);
  const reconciler = new YamlReconciler(doc, next);
  doc.contents = reconciler.reconcile(doc.contents, previous.data, next, writtenForm(next), []) as typeof doc.contents;
  const edited = doc.toString(toStringOptions);
  const merged = keepAuthorsFormatting(previousText, base, edited);
  return sameRunbook(merged, next) ? merged : edited;
}

/**
 * The YAML library re-renders a whole document (`[example]` comes back as `[ example ]`), so
 * the edit is carried over as a three-way merge: the lines the edit changed in the rendered
 * text are changed in the author's text, and every other line stays byte for byte. Where an
 * edit sits next to a line the renderer reformatted (diff3 calls that a conflict) and the two
 * texts still match line for line, the edit's own lines are patched into the author's lines;
 * otherwise the rendered form of that stretch wins.
 */
function keepAuthorsFormatting(original: string, renderedOriginal: string, renderedEdited: string): string {
  const lines = (text: string) => text.split('\n');
  const regions = diff3Merge(lines(original), lines(renderedOriginal), lines(renderedEdited), { excludeFalseConflicts: true });
  return regions
    .flatMap((region) => {
      if (region.ok) return region.ok;
      const { a, o, b } = region.conflict!;
      return a.length === o.length ? patch(a, diffPatch(o, b)) : b;
    })
    .join('\n');
}

function sameRunbook(text: string, expected: Runbook): boolean {
  try {
    const parsed = runbookSchema.safeParse(parseYaml(text));
    return parsed.success && canonicalJson(parsed.data) === canonicalJson(expected);
  } catch {
    return false;
  }
}
