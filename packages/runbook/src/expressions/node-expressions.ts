import type { FieldRole } from '../steps/define-step.js';
import { isStepType, stepKinds, stepTypes } from '../steps/registry.js';
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

/** The config fields of each kind that have a role (its `meta.fields`), by role. */
function fieldsWithRole(role: FieldRole): Readonly<Record<string, readonly string[]>> {
  const found: Record<string, string[]> = {};
  for (const type of stepTypes) {
    const fields = Object.entries(stepKinds[type].meta.fields ?? {}).filter(([, hint]) => hint.role === role);
    if (fields.length > 0) found[type] = fields.map(([field]) => field);
  }
  return found;
}

/**
 * Config fields whose whole value is one JSONata expression rather than a template (role
 * `expression`). The editor shows them as code; the interpreter evaluates them as they are.
 */
export const expressionConfigFields = fieldsWithRole('expression');

/**
 * Config fields that a shell or a database interprets as code (role `code`). A template there
 * would splice values (alert labels, parameters) into that code; values must go through the
 * channel the field's `valuesVia` names.
 */
export const codeConfigFields = fieldsWithRole('code');

/** How a value should reach a code field instead of being spliced into it. */
export function valuesViaOf(kind: string, field: string): string {
  const hint = isStepType(kind) ? stepKinds[kind].meta.fields?.[field] : undefined;
  return hint?.valuesVia ?? 'env, and read it as "$NAME"';
}

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
