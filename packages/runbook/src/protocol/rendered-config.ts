import { secretRefSchema } from '../steps/secret-ref.js';
import { stepKinds, type ActionType, type StepConfig } from '../steps/registry.js';

/** A zod schema, read through its definition (`_zod.def`), so this file needs no zod import of its own. */
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
function shownValue(schema: Schema, config: unknown, path: readonly PropertyKey[]): string {
  if (maySecret(schema, path)) return '';
  let value: unknown = config;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  if (typeof value === 'string') return ` (got ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)})`;
  if (typeof value === 'number' || typeof value === 'boolean') return ` (got ${String(value)})`;
  return '';
}

type IssueLike = { path: readonly PropertyKey[]; message: string };

export type RenderedConfigCheck<K extends ActionType = ActionType> =
  | { success: true; config: StepConfig<K> }
  /** `field` names the first failing field; `message` lists every problem with its field and the value it got. */
  | { success: false; field: string; message: string };

/**
 * Checks an action's config after its templates were rendered, against the kind's real schema:
 * templates can produce anything (a port of 70000, a host with a space). The worker checks every
 * config it is handed, and a dry run checks the same way, so a rehearsal fails where the run would.
 * Pure and Node-free: workflow code calls it.
 */
export function checkRenderedConfig<K extends ActionType>(kind: K, config: unknown): RenderedConfigCheck<K> {
  const schema = stepKinds[kind].config;
  const parsed = schema.safeParse(config);
  if (parsed.success) return { success: true, config: parsed.data as StepConfig<K> };
  const fieldOf = (issue: IssueLike) => issue.path.map(String).join('.') || 'config';
  const described = (issue: IssueLike) => `${issue.message}${shownValue(schema, config, issue.path)}`;
  const [first, ...rest] = parsed.error.issues as readonly IssueLike[];
  const more = rest.map((issue) => `; ${fieldOf(issue)}: ${described(issue)}`).join('');
  return { success: false, field: fieldOf(first!), message: `${described(first!)}${more}` };
}
