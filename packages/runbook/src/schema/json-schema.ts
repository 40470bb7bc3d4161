import { z } from 'zod';
import { authoringConfigOf } from '../document/authoring-configs.js';
import { parametersSchemaFor } from '../document/parameters.js';
import { runbookSchema, type Runbook } from '../document/runbook.js';
import { stepKinds, stepTypes, type StepType } from '../steps/registry.js';

/** JSON Schema of a JSON Schema document, as z.toJSONSchema returns it. */
export type JsonSchema = Record<string, unknown>;

/**
 * What a person writes, not what validation yields (`io: 'input'`): fields with defaults are
 * optional. Refinements JSON Schema cannot express (shell's "command or script") are left to
 * the zod schema, which stays the one validator; the JSON Schema serves forms, editor hints
 * and the OpenAPI document.
 */
const options = { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' } as const;

let runbookCache: JsonSchema | undefined;

/** The JSON Schema of a whole runbook file. */
export function runbookJsonSchema(): JsonSchema {
  runbookCache ??= {
    ...z.toJSONSchema(runbookSchema, options),
    $id: 'https://runwright.dev/schemas/runbook.json',
    title: 'Runwright runbook',
  };
  return runbookCache;
}

/**
 * The JSON Schema of one step kind's config as an author writes it, for the inspector's form and
 * the OpenAPI document: typed action fields are `anyOf: [the field, a {{ template }} string]`.
 */
export function stepConfigJsonSchema(kind: StepType): JsonSchema {
  return { ...z.toJSONSchema(authoringConfigOf(kind), options), title: stepKinds[kind].meta.label };
}

/** Every kind's config schema, keyed by kind. */
export function stepConfigJsonSchemas(): Record<StepType, JsonSchema> {
  return Object.fromEntries(stepTypes.map((kind) => [kind, stepConfigJsonSchema(kind)])) as Record<StepType, JsonSchema>;
}

/** The JSON Schema of one runbook's run parameters, for the start-a-run form: types, defaults, enums, patterns. */
export function parametersJsonSchema(runbook: Pick<Runbook, 'id' | 'title' | 'parameters'>): JsonSchema {
  const schema = z.toJSONSchema(parametersSchemaFor(runbook.parameters), options) as JsonSchema & { properties?: Record<string, JsonSchema> };
  for (const [name, parameter] of Object.entries(runbook.parameters)) {
    const property = schema.properties?.[name];
    if (property && parameter.description) property.description = parameter.description;
  }
  return { ...schema, title: `Parameters of ${runbook.title}` };
}
