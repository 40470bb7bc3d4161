import jsonata from 'jsonata';

/** One `steps.<id>` mentioned by an expression, with where it starts in the source. */
export interface StepReference {
  id: string;
  position: number;
}

type AstNode = { type?: string; value?: unknown; position?: number; steps?: AstNode[]; stages?: AstNode[]; expr?: AstNode };

/** The name a path gives right after `root`: `steps.a`, `steps.\`x-y\`` or `steps['x-y']`. */
function referenceIn(path: AstNode, root = 'steps'): StepReference | undefined {
  const [first, second] = path.steps ?? [];
  if (first?.type !== 'name' || first.value !== root) return undefined;
  const filter = first.stages?.find((stage) => stage.type === 'filter')?.expr;
  if (filter?.type === 'string' && typeof filter.value === 'string') return { id: filter.value, position: filter.position ?? 0 };
  if (second?.type === 'name' && typeof second.value === 'string') return { id: second.value, position: second.position ?? 0 };
  return undefined;
}

/**
 * Every step an expression reads, found in the parsed JSONata tree rather than by text
 * matching, so `"steps.a"` inside a string literal is not a reference and `steps['x-y']` is.
 * Throws when the source does not parse; callers check parsing first.
 */
export function stepReferences(source: string): StepReference[] {
  return stepReferencesIn(jsonata(source).ast());
}

/** The same, over an expression already parsed (`jsonata(source).ast()`). */
export function stepReferencesIn(ast: unknown): StepReference[] {
  return referencesIn(ast, 'steps');
}

/** Every `params.<name>` an expression reads, over an expression already parsed. */
export function parameterReferencesIn(ast: unknown): StepReference[] {
  return referencesIn(ast, 'params');
}

function referencesIn(ast: unknown, root: string): StepReference[] {
  const found: StepReference[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== 'object') return;
    const node = value as AstNode;
    if (node.type === 'path') {
      const reference = referenceIn(node, root);
      if (reference) found.push(reference);
    }
    for (const child of Object.values(node)) walk(child);
  };
  walk(ast);
  return found;
}

/**
 * The scope names an expression reads (`params`, `steps`, `run`, `alert`, `item`): the first
 * name of every path in it. Lets a caller tell whether it can evaluate the expression yet.
 */
export function expressionRoots(source: string): Set<string> {
  return expressionRootsIn(jsonata(source).ast());
}

/** The same, over an expression already parsed. */
export function expressionRootsIn(ast: unknown): Set<string> {
  const roots = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== 'object') return;
    const node = value as AstNode;
    if (node.type === 'path') {
      const first = node.steps?.[0];
      if (first?.type === 'name' && typeof first.value === 'string') roots.add(first.value);
      // Later steps are names relative to the first; only what they contain (filters, arguments) can hold new paths.
      for (const step of node.steps ?? []) for (const child of Object.values(step)) walk(child);
      return;
    }
    if (node.type === 'name' && typeof node.value === 'string') roots.add(node.value); // A bare name is a one-step path.
    for (const child of Object.values(node)) walk(child);
  };
  walk(ast);
  return roots;
}
