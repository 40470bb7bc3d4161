import { secretRefSchema } from '@runwright/runbook';

/** A zod schema, read through its definition (`_zod.def`); the worker needs no zod import of its own. */
type Schema = unknown;
type Def = { type: string; [key: string]: unknown };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/**
 * Whether the field at `path` may hold a secret reference, so a plain value written there may
 * be a secret written in the clear: such a value is never echoed back.
 */
function maySecret(schema: Schema, path: readonly PropertyKey[]): boolean {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return maySecret(def.innerType as Schema, path);
    case 'pipe':
      return maySecret(def.in as Schema, path);
    case 'union': {
      const options = def.options as Schema[];
      if (path.length === 0 && options.includes(secretRefSchema as Schema)) return true;
      return options.some((option) => maySecret(option, path));
    }
    case 'object': {
      if (path.length === 0) return false;
      const field = (def.shape as Record<string, Schema>)[String(path[0])];
      return field !== undefined && maySecret(field, path.slice(1));
    }
    case 'array':
      return path.length > 0 && maySecret(def.element as Schema, path.slice(1));
    case 'record':
      return path.length > 0 && maySecret(def.valueType as Schema, path.slice(1));
    default:
      // Past the leaves (a path into free-form JSON such as an HTTP body) nothing is known: stay silent.
      return path.length > 0 || def.type === 'unknown' || def.type === 'any';
  }
}

/**
 * The value a rendered config had at a failing field, for the operator reading the failure:
 * scalars only, long text cut, and nothing from a field that may hold a secret.
 */
export function shownValue(schema: Schema, config: unknown, path: readonly PropertyKey[]): string {
  if (maySecret(schema, path)) return '';
  let value: unknown = config;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  if (typeof value === 'string') return ` (got ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)})`;
  if (typeof value === 'number' || typeof value === 'boolean') return ` (got ${String(value)})`;
  return '';
}
