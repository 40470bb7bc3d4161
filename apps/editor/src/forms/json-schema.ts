import { authoringConfigFor, templatePattern } from '@runwright/runbook';
import { z } from 'zod';

/** The part of JSON Schema that `z.toJSONSchema` emits for our configs and that forms read. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

const cache = new WeakMap<z.ZodType, JsonSchema>();

/**
 * The input side of a zod schema as JSON Schema: fields with defaults are optional, which is
 * what an author may leave out. Parts JSON Schema cannot say (refinements) stay in zod and
 * come back as problems from the shared checks. A kind's config is shown in its authoring
 * form, where typed fields also take a `{{ template }}` (see `withoutTemplate`).
 */
export function formSchemaOf(schema: z.ZodType): JsonSchema {
  let json = cache.get(schema);
  if (!json) {
    json = z.toJSONSchema(authoringConfigFor(schema), { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    cache.set(schema, json);
  }
  return json;
}

const isTemplateOption = (option: JsonSchema) => option.type === 'string' && option.pattern === templatePattern.source;

/**
 * A field that takes a plain value or a `{{ template }}` (`anyOf: [plain, template]`) is edited
 * as its plain self, with `template` telling the widget to keep a template the author types.
 * What sits beside `anyOf` (default, description) carries over to the plain schema.
 */
export function withoutTemplate(schema: JsonSchema): { schema: JsonSchema; template: boolean } {
  const options = schema.anyOf;
  if (!options?.some(isTemplateOption)) return { schema, template: false };
  const plain = options.filter((option) => !isTemplateOption(option));
  const { anyOf: _, ...beside } = schema;
  return { schema: plain.length === 1 ? { ...plain[0], ...beside } : { ...beside, anyOf: plain }, template: true };
}

export type FieldShape = 'text' | 'enum' | 'number' | 'boolean' | 'list' | 'keyValue' | 'object' | 'objectList' | 'union' | 'json';

/** The options of a union keyed by `kind` (an action call: `{ kind: 'shell', config }`), by kind. */
export function unionOptions(schema: JsonSchema): Record<string, JsonSchema> | undefined {
  const options = schema.oneOf ?? schema.anyOf;
  if (!options || options.length === 0) return undefined;
  const byKind: Record<string, JsonSchema> = {};
  for (const option of options) {
    const kind = option.properties?.kind?.const;
    if (typeof kind !== 'string') return undefined;
    byKind[kind] = option;
  }
  return byKind;
}

/** How a schema is edited when no hint says otherwise. */
export function shapeOf(templated: JsonSchema): FieldShape {
  const { schema } = withoutTemplate(templated);
  if (schema.enum) return 'enum';
  if (unionOptions(schema)) return 'union';
  switch (schema.type) {
    case 'string':
      return 'text';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const items = withoutTemplate(schema.items ?? {}).schema;
      if (items.type === 'string' || items.type === 'integer' || items.type === 'number') return 'list';
      if (items.type === 'object' && items.properties) return 'objectList';
      return 'json';
    }
    case 'object':
      if (schema.properties && Object.keys(schema.properties).length > 0) return 'object';
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') return 'keyValue';
      return 'json';
    default:
      return 'json';
  }
}

/** Words from a field name: `expectExitCodes` → `Expect exit codes`. */
export function humanize(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
