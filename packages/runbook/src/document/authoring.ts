import { z } from 'zod';

/**
 * What an author may write where the worker later needs a typed or patterned value.
 *
 * A runbook is validated before its templates are rendered, so a config field typed as a
 * number, a boolean, an enum or a patterned string (`port`, `hosts[]`, `parallelism`, `method`)
 * would refuse `"{{ params.port }}"`. The authoring schema of a config is derived from the
 * kind's real schema by rebuilding it with one change: each such leaf also accepts a template
 * string. Plain values keep every constraint (port 70000 is still refused, at its path), and
 * object-level refinements stay (they live in the rebuilt objects' `checks`). The worker renders
 * the templates and validates the result with the real schema before anything runs.
 *
 * Why rebuild rather than keep the real schema and drop the issues whose path points at a raw
 * template string: zod 4 does not run an object's refinements once one of its fields failed, and
 * yields no parsed value (no defaults) when any issue remains, so dropping issues would silently
 * skip "exactly one of command or script" and hand back a runbook without its defaults. A
 * rebuilt schema keeps zod doing all of it, and `z.toJSONSchema` turns the same leaves into
 * `anyOf: [leaf, template]` for the editor and the OpenAPI document.
 */

/** A string holding at least one `{{ … }}`; whether the expression parses is checked with the other expressions. */
export const templatePattern = /\{\{[\s\S]*?\}\}/;

/**
 * `abort` makes a non-template string fail this branch outright, so zod reports the real
 * leaf's own issue (`Too big: expected number to be <=65535`) rather than this one's.
 */
const templateStringSchema = z
  .string()
  .regex(templatePattern, { message: 'a {{ template }}', abort: true })
  .meta({ description: 'A {{ template }} rendered when the step runs' });

/** Schemas an author must write as they are, never as a template (a secret's name, say). */
const writtenAsIs = new WeakSet<z.ZodType>();

/** Marks a schema whose values must not come from templates. Returns the schema. */
export function notTemplated<T extends z.ZodType>(schema: T): T {
  writtenAsIs.add(schema);
  return schema;
}

const sample = '{{ template }}';
type Def = Record<string, unknown> & { type: string; checks?: { _zod: { def: { check: string } } }[] };

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function cloneWith(schema: z.ZodType, changes: Record<string, unknown>): z.ZodType {
  // Copied with its accessors: zod's `defaultValue` getter hands each parse its own copy of an object default.
  const def = Object.defineProperties({}, Object.getOwnPropertyDescriptors(defOf(schema)));
  for (const [key, value] of Object.entries(changes)) Object.defineProperty(def, key, { value, enumerable: true, writable: true, configurable: true });
  const copy = schema.clone(def as never);
  const meta = z.globalRegistry.get(schema);
  if (meta) z.globalRegistry.add(copy, meta);
  return copy;
}

const leafTypes = new Set(['number', 'bigint', 'boolean', 'enum', 'literal', 'string', 'date']);

/**
 * A leaf gets a template alternative when a template would not pass it as it is. Strings with
 * a custom refinement are left alone: those hold code (a JSONata assertion), not a value.
 */
function wantsTemplate(schema: z.ZodType): boolean {
  const def = defOf(schema);
  if (!leafTypes.has(def.type)) return false;
  if (def.type === 'string' && (def.checks ?? []).some((c) => c._zod.def.check === 'custom')) return false;
  return !schema.safeParse(sample).success;
}

function withTemplate(options: z.ZodType[]): z.ZodType {
  return z.union([...options, templateStringSchema] as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]], {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      // Both branches refused the value outright (a wrong type, an unknown option): say what the plain value needs.
      const first = (issue as { errors?: { message: string }[][] }).errors?.[0]?.[0]?.message ?? 'Invalid input';
      return `${first}, or a {{ template }}`;
    },
  });
}

const built = new WeakMap<z.ZodType, z.ZodType>();

function rebuild(schema: z.ZodType, keep?: string): z.ZodType {
  if (writtenAsIs.has(schema)) return schema;
  const def = defOf(schema);
  const walk = (inner: unknown) => authoringSchemaOf(inner as z.ZodType);
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      const next = Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, key === keep ? value : walk(value)]));
      return cloneWith(schema, { shape: next });
    }
    case 'union': {
      const discriminator = typeof def.discriminator === 'string' ? def.discriminator : undefined;
      const options = def.options as z.ZodType[];
      if (discriminator) return cloneWith(schema, { options: options.map((o) => rebuild(o, discriminator)) });
      // Leaf options stay as written; one template alternative serves them all, unless some option takes templates already.
      const rebuilt = options.map((o) => (leafTypes.has(defOf(o).type) ? o : walk(o)));
      const needsTemplate = options.some(wantsTemplate) && !schema.safeParse(sample).success;
      return needsTemplate ? withTemplate(rebuilt) : cloneWith(schema, { options: rebuilt });
    }
    case 'array':
      return cloneWith(schema, { element: walk(def.element) });
    case 'record':
      return cloneWith(schema, { valueType: walk(def.valueType) });
    case 'tuple':
      return cloneWith(schema, { items: (def.items as z.ZodType[]).map(walk), ...(def.rest ? { rest: walk(def.rest) } : {}) });
    case 'intersection':
      return cloneWith(schema, { left: walk(def.left), right: walk(def.right) });
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return cloneWith(schema, { innerType: walk(def.innerType) });
    case 'pipe':
      return cloneWith(schema, { in: walk(def.in) });
    default:
      // Leaves; `lazy` schemas (action calls) build their own authoring form.
      return wantsTemplate(schema) ? withTemplate([schema]) : schema;
  }
}

/**
 * The authoring form of a schema (see the top of this file). Typed as the schema it comes from:
 * what it lets through differs only by template strings, which are rendered and checked with
 * the real schema before a step runs.
 */
export function authoringSchemaOf<T extends z.ZodType>(schema: T): T {
  let authoring = built.get(schema);
  if (!authoring) {
    authoring = rebuild(schema);
    built.set(schema, authoring);
  }
  return authoring as T;
}

/** Whether a value is a template to be rendered at run time rather than a plain value. */
export function isTemplateString(value: unknown): value is string {
  return typeof value === 'string' && templatePattern.test(value);
}
