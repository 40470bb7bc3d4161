import jsonata from 'jsonata';
import { BoundedEvaluation } from './bounded-evaluation.js';

/**
 * Templates are strings holding `{{ expression }}` parts written in JSONata. A string that is
 * exactly one expression keeps the expression's type (a list stays a list); otherwise parts
 * are joined as text. The result is data: it reaches a program only as argv or env values.
 */
const templatePart = /\{\{([\s\S]*?)\}\}/g;

/** What an expression can see while a run is going. */
export interface ExpressionScope {
  params: Record<string, unknown>;
  steps: Record<string, { output?: unknown; status?: string }>;
  run: { id: string; runbookId: string; startedBy: string };
  alert?: unknown;
  item?: unknown;
}

export function templateExpressions(text: string): string[] {
  return [...text.matchAll(templatePart)].map((m) => m[1]!.trim());
}

export function parseExpression(source: string): { ok: true } | { ok: false; message: string } {
  try {
    jsonata(source);
    return { ok: true };
  } catch (error) {
    return { ok: false, message: (error as { message?: string }).message ?? String(error) };
  }
}

/** Evaluates one expression over a run's scope, under the limits every evaluation has (`limits.ts`). */
export async function evaluateExpression(source: string, scope: ExpressionScope, evaluation = new BoundedEvaluation()): Promise<unknown> {
  return evaluation.evaluate(source, scope);
}

async function renderString(text: string, scope: ExpressionScope, evaluation: BoundedEvaluation): Promise<unknown> {
  const whole = /^\{\{([\s\S]*?)\}\}$/.exec(text);
  if (whole && templateExpressions(text).length === 1) return evaluation.evaluate(whole[1]!.trim(), scope);
  let result = '';
  let last = 0;
  for (const match of text.matchAll(templatePart)) {
    result += text.slice(last, match.index);
    const value = await evaluation.evaluate(match[1]!.trim(), scope);
    result += value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    last = match.index! + match[0].length;
  }
  return result + text.slice(last);
}

/**
 * Renders every template string inside a config value, leaving everything else as it is. The
 * templates of one value share one evaluation budget (`limits.ts`).
 */
export async function renderTemplates<T>(value: T, scope: ExpressionScope, evaluation = new BoundedEvaluation()): Promise<T> {
  if (typeof value === 'string') return (value.includes('{{') ? renderString(value, scope, evaluation) : value) as Promise<T>;
  if (Array.isArray(value)) return Promise.all(value.map((v) => renderTemplates(v, scope, evaluation))) as Promise<T>;
  if (value !== null && typeof value === 'object') {
    const entries = await Promise.all(
      Object.entries(value).map(async ([k, v]) => [k, await renderTemplates(v, scope, evaluation)] as const),
    );
    return Object.fromEntries(entries) as T;
  }
  return value;
}
