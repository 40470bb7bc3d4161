import { templateExpressions } from './template.js';

/** One expression written in a node, located by the path of the field that holds it. */
export interface NodeExpression {
  path: string;
  source: string;
  /** `template`: a `{{ … }}` part of a string; `condition`: a whole field that is one bare expression. */
  role: 'template' | 'condition';
}

/** Wrapper fields whose whole value is one bare expression (no `{{ }}`: the interpreter evaluates it as written). */
const conditionFields: readonly string[] = ['when'];

/**
 * Config fields of control kinds whose whole value is one JSONata expression rather than a
 * template. The editor shows them as code; the interpreter evaluates them as they are.
 */
export const expressionConfigFields: Readonly<Record<string, readonly string[]>> = {
  branch: ['expression'],
  forEach: ['items', 'key'],
};

/**
 * Config fields that a shell or a database interprets as code. A template there would splice
 * values (alert labels, parameters) into that code; values must go through `env` or `params`.
 */
export const codeConfigFields: Readonly<Record<string, readonly string[]>> = {
  shell: ['script'],
  ssh: ['script'],
  'postgres.sql': ['sql'],
};

function visitStrings(value: unknown, path: string, visit: (text: string, path: string) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => visitStrings(v, `${path}.${i}`, visit));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) visitStrings(v, `${path}.${k}`, visit);
  }
}

/**
 * Every expression a node carries: templates anywhere in its config and in any other part
 * that is executed (rollback actions, forEach bodies…), and its condition fields. Title and
 * description are prose, never evaluated, so they are left out.
 */
export function nodeExpressions(node: Record<string, unknown>, nodePath: string): NodeExpression[] {
  const found: NodeExpression[] = [];
  const whole = (value: string, path: string) => found.push({ path, source: value.trim(), role: 'condition' });
  const templates = (value: unknown, path: string) =>
    visitStrings(value, path, (text, at) => {
      for (const source of templateExpressions(text)) found.push({ path: at, source, role: 'template' });
    });
  const configFields = expressionConfigFields[String(node.kind)] ?? [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'id' || key === 'kind' || key === 'title' || key === 'description' || key === 'parent') continue;
    const path = `${nodePath}.${key}`;
    if (conditionFields.includes(key) && typeof value === 'string') {
      whole(value, path);
    } else if (key === 'config' && value !== null && typeof value === 'object' && configFields.length > 0) {
      for (const [field, fieldValue] of Object.entries(value)) {
        if (configFields.includes(field) && typeof fieldValue === 'string') whole(fieldValue, `${path}.${field}`);
        else templates(fieldValue, `${path}.${field}`);
      }
    } else {
      templates(value, path);
    }
  }
  return found;
}
