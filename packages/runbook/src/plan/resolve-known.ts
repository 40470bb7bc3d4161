import { expressionRoots } from '../expressions/step-references.js';
import { BoundedEvaluation } from '../expressions/bounded-evaluation.js';
import { evaluateExpression, templateExpressions, type ExpressionScope } from '../expressions/template.js';

/** Scope names only known once the run is going (step outputs, the current item, an alert not given). */
export type KnownScope = Omit<ExpressionScope, 'steps'>;

function knowable(source: string, scope: KnownScope): boolean {
  try {
    const roots = expressionRoots(source);
    if (roots.has('steps')) return false;
    if (roots.has('item') && scope.item === undefined) return false;
    if (roots.has('alert') && scope.alert === undefined) return false;
    return true;
  } catch {
    return false;
  }
}

export type Resolution<T> = { known: true; value: T } | { known: false; reason: string };

/** Evaluates a bare expression when everything it reads is known before the run. */
export async function resolveExpression(source: string, scope: KnownScope, evaluation = new BoundedEvaluation()): Promise<Resolution<unknown>> {
  if (!knowable(source, scope)) return { known: false, reason: `depends on values known only during the run: ${source}` };
  try {
    return { known: true, value: await evaluateExpression(source, { ...scope, steps: {} }, evaluation) };
  } catch (error) {
    return { known: false, reason: `cannot be evaluated: ${(error as Error).message}` };
  }
}

function renderedPart(value: unknown): string {
  return value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Renders the templates that can be rendered before the run, like renderTemplates does during
 * it; the rest stay as written and their paths are listed, so a reader sees what is decided
 * now and what waits for earlier steps.
 */
export async function resolveKnownTemplates<T>(value: T, scope: KnownScope, path = ''): Promise<{ value: T; pending: string[] }> {
  const pending: string[] = [];
  // One budget for the whole value, as the run has when it renders it.
  const evaluation = new BoundedEvaluation();
  const visit = async (current: unknown, at: string): Promise<unknown> => {
    if (typeof current === 'string') {
      const sources = templateExpressions(current);
      if (sources.length === 0) return current;
      if (!sources.every((s) => knowable(s, scope))) {
        pending.push(at);
        return current;
      }
      const whole = /^\{\{([\s\S]*?)\}\}$/.exec(current);
      if (whole && sources.length === 1) {
        const resolved = await resolveExpression(sources[0]!, scope, evaluation);
        if (!resolved.known) pending.push(at);
        return resolved.known ? resolved.value : current;
      }
      let text = '';
      let last = 0;
      for (const match of current.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
        const resolved = await resolveExpression(match[1]!.trim(), scope, evaluation);
        if (!resolved.known) {
          pending.push(at);
          return current;
        }
        text += current.slice(last, match.index) + renderedPart(resolved.value);
        last = match.index! + match[0].length;
      }
      return text + current.slice(last);
    }
    if (Array.isArray(current)) return Promise.all(current.map((v, i) => visit(v, `${at}.${i}`)));
    if (current !== null && typeof current === 'object') {
      const entries = await Promise.all(Object.entries(current).map(async ([k, v]) => [k, await visit(v, at ? `${at}.${k}` : k)] as const));
      return Object.fromEntries(entries);
    }
    return current;
  };
  return { value: (await visit(value, path)) as T, pending };
}
